import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { auditCsvStream, parseAuditQuery, requireAuditAccess } from "../utils/audit-trail.server";

/**
 * GET /teams/:teamId/audit.csv — the team's audit trail as CSV with the page's filters (`action`,
 * `person`, `briefing`, `from`, `to`), every matching row, newest first. Owners only.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const team = await requireAuditAccess(context, params.teamId, user);
  const { filter } = parseAuditQuery(new URL(request.url));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsvStream(context, team.id, filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${team.id}-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
