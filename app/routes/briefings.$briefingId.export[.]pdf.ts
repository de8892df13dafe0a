import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireExportAccess } from "../utils/export-access.server";
import { exportBriefingPdf, parseSuggestionsParam } from "../utils/export.server";

/**
 * GET /briefings/:briefingId/export.pdf[?version=<n>][&suggestions=markup] — the brief as PDF for a team member
 * the team's export policy allows (403 for the others). `suggestions=markup` shows a draft's open
 * suggestions struck through and inserted; the default is the clean text.
 * Works with the session cookie alone, so scripts can fetch it too.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, briefing, version } = await requireExportAccess(request, params, context);
  const suggestionMarkup = parseSuggestionsParam(new URL(request.url));
  return exportBriefingPdf(context, briefing, user, version, { suggestionMarkup });
}
