import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportBriefingDocument } from "../utils/export-document.server";
import { requireExportAccess } from "../utils/export-access.server";

/**
 * GET /briefings/:briefingId/export.docx[?version=<n>] — the brief as a Word document, from the
 * same content as the PDF and under the same rules.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, briefing, version } = await requireExportAccess(request, params, context);
  return exportBriefingDocument(context, briefing, user, version, "docx");
}
