import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { exportBriefingPdf, parseVersionParam } from "../utils/export.server";
import { requireExportAccess } from "../utils/permissions.server";

/**
 * GET /briefings/:briefingId/export.pdf[?version=<n>] — the brief as PDF for a team member
 * the team's export policy allows (403 for the others).
 * Works with the session cookie alone, so scripts can fetch it too.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing } = requireExportAccess(context, params.briefingId, user);
  const version = parseVersionParam(new URL(request.url));
  return exportBriefingPdf(context, briefing, user, version);
}
