import type { AppLoadContext } from "@remix-run/node";
import { getBriefing, getBriefingAccess } from "../../db/queries/briefings";
import { getMembership, getTeam } from "../../db/queries/teams";
import { isValidId } from "../../db/ids";
import type { Briefing, Role } from "../../db/schema";
import type { CurrentUser } from "./auth.server";
import { forbidden, notFound } from "./errors";
import { exportRefusal, mayExport } from "./export-policy";
import { roleAtLeast } from "./roles";

export { canEditBody, roleAtLeast } from "./roles";

/** The team and the caller's role in it; 404 for an unknown team, 403 for a non-member. */
export async function requireTeamRole(context: AppLoadContext, teamId: string | undefined, user: CurrentUser, min: Role = "viewer") {
  if (!isValidId(teamId)) throw notFound("Team");
  const team = await getTeam(context.store, teamId);
  if (!team) throw notFound("Team");
  const membership = await getMembership(context.store, teamId, user.id);
  if (!membership) throw forbidden("You are not a member of this team.");
  if (!roleAtLeast(membership.role, min)) {
    throw forbidden(`This needs the ${min} role in ${team.name}; you are ${membership.role}.`);
  }
  return { team, role: membership.role };
}

/**
 * The briefing and the caller's role; 404 when it does not exist, 403 when they are not in its team
 * or their role is below `min`.
 */
export async function requireBriefingRole(
  context: AppLoadContext,
  briefingId: string | undefined,
  user: CurrentUser,
  min: Role = "viewer",
): Promise<{ briefing: Briefing; role: Role }> {
  if (!isValidId(briefingId)) throw notFound("Briefing");
  const access = await getBriefingAccess(context.store, briefingId, user.id);
  if (!access) {
    // Ids are unguessable, so 404 for unknown and 403 for another team's says what is wrong
    // without revealing anything a guesser could use.
    if (!(await getBriefing(context.store, briefingId))) throw notFound("Briefing");
    throw forbidden("You are not a member of the team that owns this briefing.");
  }
  if (!roleAtLeast(access.role, min)) {
    throw forbidden(`This needs the ${min} role; you are ${access.role}.`);
  }
  return access;
}

/** Whether `role` may export this briefing under its team's policy: for hiding export links. */
export async function canExport(context: AppLoadContext, briefing: Briefing, role: Role): Promise<boolean> {
  const team = await getTeam(context.store, briefing.teamId);
  return !!team && mayExport(role, team.exportPolicy);
}

/**
 * The briefing and role of someone allowed to export it under its team's export policy (every
 * export format checks here); 403 naming who may export otherwise.
 */
export async function requireExportRole(context: AppLoadContext, briefingId: string | undefined, user: CurrentUser) {
  const access = await requireBriefingRole(context, briefingId, user);
  const team = (await getTeam(context.store, access.briefing.teamId))!;
  if (!mayExport(access.role, team.exportPolicy)) throw forbidden(exportRefusal(team.exportPolicy, access.role, team.name));
  return { ...access, team };
}
