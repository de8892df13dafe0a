import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportBriefingDocument } from "../utils/export-document.server";
import { requireExportAccess } from "../utils/export-access.server";
import { parseSuggestionsParam } from "../utils/export.server";

/**
 * GET /briefings/:briefingId/export.docx[?version=<n>][&suggestions=markup] — the brief as a Word document, from the
 * same content as the PDF and under the same rules.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, briefing, version } = await requireExportAccess(request, params, context);
  const suggestionMarkup = parseSuggestionsParam(new URL(request.url));
  return exportBriefingDocument(context, briefing, user, version, "docx", { suggestionMarkup });
}
