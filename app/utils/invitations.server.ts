import type { AppLoadContext } from "@remix-run/node";
import { getInvitation, invitationState, type InvitationState } from "../../db/queries/teams";
import { isValidId } from "../../db/ids";
import type { Role } from "../../db/schema";

/** What a person opening a link may see before signing in: who invites them, to which team, as what. */
export interface InvitationSummary {
  id: string;
  teamId: string;
  teamName: string;
  role: Role;
  inviterName: string;
  expiresAt: number;
  state: InvitationState;
}

export async function invitationSummary(context: AppLoadContext, id: string | undefined): Promise<InvitationSummary | null> {
  const found = isValidId(id) ? await getInvitation(context.store, id) : undefined;
  if (!found) return null;
  const { invitation, team, inviterName } = found;
  return {
    id: invitation.id,
    teamId: team.id,
    teamName: team.name,
    role: invitation.role,
    inviterName,
    expiresAt: invitation.expiresAt.getTime(),
    state: invitationState(invitation),
  };
}

const INVITE_PATH = /^\/invite\/([A-Za-z0-9_-]{1,64})$/;

/**
 * The usable invitation a sign-in or sign-up page will return to, so those pages can say what the
 * person is joining; null for any other destination.
 */
export async function invitationForRedirect(context: AppLoadContext, redirectTo: string): Promise<InvitationSummary | null> {
  const match = INVITE_PATH.exec(redirectTo);
  const summary = match ? await invitationSummary(context, match[1]) : null;
  return summary?.state === "usable" ? summary : null;
}
