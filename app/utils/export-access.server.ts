import type { AppLoadContext } from "@remix-run/node";
import type { Briefing, Role } from "../../db/schema";
import { requireUser, type CurrentUser } from "./auth.server";
import { parseVersionParam } from "./export.server";
import { requireExportRole } from "./permissions.server";

export interface ExportAccess {
  user: CurrentUser;
  briefing: Briefing;
  role: Role;
  /** `?version=<n>`, or null for the live document (or the latest final). */
  version: number | null;
}

/**
 * Who may export a briefing, in every format (PDF, Word, Markdown): a member of its team whose role
 * the team's export policy allows, with the session cookie alone so scripts can fetch it. Anonymous
 * callers are sent to sign in, an unknown briefing is a 404, someone outside the team or below the
 * policy a 403, a malformed version a 400. Every
 * export route calls this one function, so a rule added here applies to all formats.
 */
export async function requireExportAccess(
  request: Request,
  params: { briefingId?: string },
  context: AppLoadContext,
): Promise<ExportAccess> {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireExportRole(context, params.briefingId, user);
  const version = parseVersionParam(new URL(request.url));
  return { user, briefing, role, version };
}
