import { roleAtLeast } from "../enums";
import { and, asc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { invitations, invitationUses, memberships, teams, users, type ExportPolicy, type Invitation, type Role, type Team } from "../schema";

export function createTeam(db: Db, name: string, ownerId: string, id: string = newId()): Team {
  return db.transaction((tx) => {
    const now = new Date();
    const team = tx.insert(teams).values({ id, name: name.trim(), createdAt: now }).returning().get();
    tx.insert(memberships).values({ teamId: team.id, userId: ownerId, role: "owner", createdAt: now }).run();
    return team;
  });
}

export function getTeam(db: Db, teamId: string): Team | undefined {
  return db.select().from(teams).where(eq(teams.id, teamId)).get();
}

/** Who may export the team's briefings; checked on every export. */
export function setTeamExportPolicy(db: Db, teamId: string, exportPolicy: ExportPolicy): void {
  db.update(teams).set({ exportPolicy }).where(eq(teams.id, teamId)).run();
}

export function listTeamsForUser(db: Db, userId: string) {
  return db
    .select({
      id: teams.id,
      name: teams.name,
      role: memberships.role,
      members: sql<number>`(select count(*) from memberships m where m.team_id = ${teams.id})`,
      briefings: sql<number>`(select count(*) from briefings b where b.team_id = ${teams.id} and b.archived_at is null)`,
    })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(teams.name))
    .all();
}

export function getMembership(db: Db, teamId: string, userId: string): { role: Role } | undefined {
  return db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
    .get();
}

export function listMembers(db: Db, teamId: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, color: users.color, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, teamId))
    .orderBy(asc(users.name))
    .all();
}

function ownerCount(db: Db, teamId: string): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.role, "owner")))
    .get()!.n;
}

export class LastOwnerError extends Error {
  readonly code = "last_owner";
  constructor() {
    super("A team needs at least one owner: make someone else owner first.");
  }
}

/** Changes a member's role; refuses to demote the last owner. */
export function setMemberRole(db: Db, teamId: string, userId: string, role: Role): void {
  db.transaction((tx) => {
    const current = getMembership(tx as unknown as Db, teamId, userId);
    if (!current) return;
    if (current.role === "owner" && role !== "owner" && ownerCount(tx as unknown as Db, teamId) <= 1) {
      throw new LastOwnerError();
    }
    tx.update(memberships)
      .set({ role })
      .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
      .run();
  });
}

export function removeMember(db: Db, teamId: string, userId: string): void {
  db.transaction((tx) => {
    const current = getMembership(tx as unknown as Db, teamId, userId);
    if (!current) return;
    if (current.role === "owner" && ownerCount(tx as unknown as Db, teamId) <= 1) throw new LastOwnerError();
    tx.delete(memberships)
      .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
      .run();
  });
}

export interface NewInvitation {
  teamId: string;
  role: Role;
  createdBy: string;
  /** People who may join through the link; owner invitations are single-use whatever is asked. */
  maxUses: number;
  /** Lifetime from now. */
  ttlMs: number;
}

export function createInvitation(db: Db, input: NewInvitation): Invitation {
  const now = Date.now();
  return db
    .insert(invitations)
    .values({
      id: newId(),
      teamId: input.teamId,
      role: input.role,
      createdBy: input.createdBy,
      createdAt: new Date(now),
      expiresAt: new Date(now + input.ttlMs),
      // Owner is the one role that can take the team away from its owners: never a shared link.
      maxUses: input.role === "owner" ? 1 : input.maxUses,
    })
    .returning()
    .get();
}

/** Why a link cannot be used any more, or "usable". Revocation wins over the rest: it was a decision. */
export type InvitationState = "usable" | "revoked" | "used" | "expired";

export function invitationState(invitation: Invitation, now = new Date()): InvitationState {
  if (invitation.revokedAt) return "revoked";
  if (invitation.useCount >= invitation.maxUses) return "used";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "usable";
}

/**
 * Invitations of a team that are neither revoked nor expired, used-up ones included so the owner
 * still sees who joined through them, each with the people who accepted it.
 */
export function listOpenInvitations(db: Db, teamId: string) {
  const rows = db
    .select()
    .from(invitations)
    .where(and(eq(invitations.teamId, teamId), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
    .orderBy(asc(invitations.createdAt))
    .all();
  if (rows.length === 0) return [];
  const uses = db
    .select({ invitationId: invitationUses.invitationId, name: users.name, role: invitationUses.role, usedAt: invitationUses.usedAt })
    .from(invitationUses)
    .innerJoin(users, eq(users.id, invitationUses.userId))
    .where(inArray(invitationUses.invitationId, rows.map((r) => r.id)))
    .orderBy(asc(invitationUses.usedAt))
    .all();
  return rows.map((invitation) => ({ ...invitation, uses: uses.filter((u) => u.invitationId === invitation.id) }));
}

/** Revokes an invitation of this team; false when the team has no such invitation. */
export function revokeInvitation(db: Db, teamId: string, invitationId: string, revokedBy: string): boolean {
  const found = db
    .select({ revokedAt: invitations.revokedAt })
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.teamId, teamId)))
    .get();
  if (!found) return false;
  // Revoking twice keeps the first record of who revoked it and when.
  if (!found.revokedAt) {
    db.update(invitations).set({ revokedAt: new Date(), revokedBy }).where(eq(invitations.id, invitationId)).run();
  }
  return true;
}

/** An invitation with its team and the name of who created it, whatever its state. */
export function getInvitation(db: Db, invitationId: string) {
  return db
    .select({ invitation: invitations, team: teams, inviterName: users.name })
    .from(invitations)
    .innerJoin(teams, eq(teams.id, invitations.teamId))
    .innerJoin(users, eq(users.id, invitations.createdBy))
    .where(eq(invitations.id, invitationId))
    .get();
}

export function hasUsedInvitation(db: Db, invitationId: string, userId: string): boolean {
  return !!db
    .select({ userId: invitationUses.userId })
    .from(invitationUses)
    .where(and(eq(invitationUses.invitationId, invitationId), eq(invitationUses.userId, userId)))
    .get();
}

export type AcceptResult =
  | { ok: true; teamId: string; role: Role; changed: boolean }
  | { ok: false; reason: Exclude<InvitationState, "usable"> | "unknown" };

/**
 * Joins the team through an invitation, all in one transaction: the use is taken by a conditional
 * update (not revoked, not expired, uses left), recorded in invitation_uses, and the membership is
 * applied (an existing member keeps the higher of the two roles). Of two people racing for the last
 * use exactly one gets it. Someone who already accepted this link consumes nothing and changes
 * nothing (an owner who removed them meanwhile is not overruled by the old link).
 */
export function acceptInvitation(db: Db, invitationId: string, userId: string): AcceptResult {
  return db.transaction((tx): AcceptResult => {
    const t = tx as unknown as Db;
    const invitation = t.select().from(invitations).where(eq(invitations.id, invitationId)).get();
    if (!invitation) return { ok: false, reason: "unknown" };
    const current = getMembership(t, invitation.teamId, userId);
    if (hasUsedInvitation(t, invitationId, userId)) {
      return { ok: true, teamId: invitation.teamId, role: current?.role ?? invitation.role, changed: false };
    }
    const now = new Date();
    const taken = t
      .update(invitations)
      .set({ useCount: sql`${invitations.useCount} + 1` })
      .where(
        and(
          eq(invitations.id, invitationId),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
          lt(invitations.useCount, invitations.maxUses),
        ),
      )
      .run();
    if (taken.changes === 0) {
      const state = invitationState(invitation, now);
      return { ok: false, reason: state === "usable" ? "used" : state };
    }
    const role = current && roleAtLeast(current.role, invitation.role) ? current.role : invitation.role;
    t.insert(invitationUses).values({ invitationId, userId, previousRole: current?.role ?? null, role, usedAt: now }).run();
    if (!current) {
      t.insert(memberships).values({ teamId: invitation.teamId, userId, role, createdAt: now }).run();
    } else if (role !== current.role) {
      t.update(memberships)
        .set({ role })
        .where(and(eq(memberships.teamId, invitation.teamId), eq(memberships.userId, userId)))
        .run();
    }
    return { ok: true, teamId: invitation.teamId, role, changed: role !== current?.role };
  });
}
