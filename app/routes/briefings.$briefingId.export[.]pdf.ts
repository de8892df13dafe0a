import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireExportAccess } from "../utils/export-access.server";
import { exportBriefingPdf } from "../utils/export.server";

/**
 * GET /briefings/:briefingId/export.pdf[?version=<n>] — the brief as PDF for a team member
 * the team's export policy allows (403 for the others).
 * Works with the session cookie alone, so scripts can fetch it too.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, briefing, version } = await requireExportAccess(request, params, context);
  return exportBriefingPdf(context, briefing, user, version);
}
