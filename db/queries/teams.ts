import { roleAtLeast } from "../enums";
import { and, asc, count, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { newId } from "../ids";
import type { ExportPolicy, Invitation, Role, Team } from "../schema";
import { exec, first, withTransaction, type Store } from "../store";

export async function createTeam(store: Store, name: string, ownerId: string, id: string = newId()): Promise<Team> {
  return withTransaction(store, async (tx) => {
    const now = new Date();
    const [team] = await exec(tx, (db, t) => db.insert(t.teams).values({ id, name: name.trim(), createdAt: now }).returning());
    await exec(tx, (db, t) => db.insert(t.memberships).values({ teamId: team.id, userId: ownerId, role: "owner", createdAt: now }));
    return team;
  });
}

export async function getTeam(store: Store, teamId: string): Promise<Team | undefined> {
  return first(await exec(store, (db, t) => db.select().from(t.teams).where(eq(t.teams.id, teamId)).limit(1)));
}

/** Who may export the team's briefings; checked on every export. */
export async function setTeamExportPolicy(store: Store, teamId: string, exportPolicy: ExportPolicy): Promise<void> {
  await exec(store, (db, t) => db.update(t.teams).set({ exportPolicy }).where(eq(t.teams.id, teamId)));
}

export async function listTeamsForUser(store: Store, userId: string) {
  return exec(store, (db, t) =>
    db
      .select({
        id: t.teams.id,
        name: t.teams.name,
        role: t.memberships.role,
        // mapWith(Number): PostgreSQL's count(*) is a bigint, which node-postgres sends as text.
        members: sql<number>`(select count(*) from memberships m where m.team_id = ${t.teams.id})`.mapWith(Number),
        briefings: sql<number>`(select count(*) from briefings b where b.team_id = ${t.teams.id} and b.archived_at is null)`.mapWith(Number),
      })
      .from(t.memberships)
      .innerJoin(t.teams, eq(t.teams.id, t.memberships.teamId))
      .where(eq(t.memberships.userId, userId))
      .orderBy(asc(t.teams.name)),
  );
}

export async function getMembership(store: Store, teamId: string, userId: string): Promise<{ role: Role } | undefined> {
  return first(
    await exec(store, (db, t) =>
      db
        .select({ role: t.memberships.role })
        .from(t.memberships)
        .where(and(eq(t.memberships.teamId, teamId), eq(t.memberships.userId, userId)))
        .limit(1),
    ),
  );
}

export async function listMembers(store: Store, teamId: string) {
  return exec(store, (db, t) =>
    db
      .select({ userId: t.users.id, name: t.users.name, email: t.users.email, color: t.users.color, role: t.memberships.role })
      .from(t.memberships)
      .innerJoin(t.users, eq(t.users.id, t.memberships.userId))
      .where(eq(t.memberships.teamId, teamId))
      .orderBy(asc(t.users.name)),
  );
}

async function ownerCount(store: Store, teamId: string): Promise<number> {
  const [{ n }] = await exec(store, (db, t) =>
    db
      .select({ n: count() })
      .from(t.memberships)
      .where(and(eq(t.memberships.teamId, teamId), eq(t.memberships.role, "owner"))),
  );
  return n;
}

export class LastOwnerError extends Error {
  readonly code = "last_owner";
  constructor() {
    super("A team needs at least one owner: make someone else owner first.");
  }
}

/** Changes a member's role; refuses to demote the last owner. */
export async function setMemberRole(store: Store, teamId: string, userId: string, role: Role): Promise<void> {
  await withTransaction(store, async (tx) => {
    const current = await getMembership(tx, teamId, userId);
    if (!current) return;
    if (current.role === "owner" && role !== "owner" && (await ownerCount(tx, teamId)) <= 1) {
      throw new LastOwnerError();
    }
    await exec(tx, (db, t) =>
      db
        .update(t.memberships)
        .set({ role })
        .where(and(eq(t.memberships.teamId, teamId), eq(t.memberships.userId, userId))),
    );
  });
}

export async function removeMember(store: Store, teamId: string, userId: string): Promise<void> {
  await withTransaction(store, async (tx) => {
    const current = await getMembership(tx, teamId, userId);
    if (!current) return;
    if (current.role === "owner" && (await ownerCount(tx, teamId)) <= 1) throw new LastOwnerError();
    await exec(tx, (db, t) => db.delete(t.memberships).where(and(eq(t.memberships.teamId, teamId), eq(t.memberships.userId, userId))));
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

export async function createInvitation(store: Store, input: NewInvitation): Promise<Invitation> {
  const now = Date.now();
  const [invitation] = await exec(store, (db, t) =>
    db
      .insert(t.invitations)
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
      .returning(),
  );
  return invitation;
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
export async function listOpenInvitations(store: Store, teamId: string) {
  const open = await exec(store, (db, t) =>
    db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.teamId, teamId), isNull(t.invitations.revokedAt), gt(t.invitations.expiresAt, new Date())))
      .orderBy(asc(t.invitations.createdAt)),
  );
  if (open.length === 0) return [];
  const uses = await exec(store, (db, t) =>
    db
      .select({ invitationId: t.invitationUses.invitationId, name: t.users.name, role: t.invitationUses.role, usedAt: t.invitationUses.usedAt })
      .from(t.invitationUses)
      .innerJoin(t.users, eq(t.users.id, t.invitationUses.userId))
      .where(inArray(t.invitationUses.invitationId, open.map((r) => r.id)))
      .orderBy(asc(t.invitationUses.usedAt)),
  );
  return open.map((invitation) => ({ ...invitation, uses: uses.filter((u) => u.invitationId === invitation.id) }));
}

/** Revokes an invitation of this team; false when the team has no such invitation. */
export async function revokeInvitation(store: Store, teamId: string, invitationId: string, revokedBy: string): Promise<boolean> {
  const found = first(
    await exec(store, (db, t) =>
      db
        .select({ revokedAt: t.invitations.revokedAt })
        .from(t.invitations)
        .where(and(eq(t.invitations.id, invitationId), eq(t.invitations.teamId, teamId)))
        .limit(1),
    ),
  );
  if (!found) return false;
  // Revoking twice keeps the first record of who revoked it and when.
  if (!found.revokedAt) {
    await exec(store, (db, t) => db.update(t.invitations).set({ revokedAt: new Date(), revokedBy }).where(eq(t.invitations.id, invitationId)));
  }
  return true;
}

/** An invitation with its team and the name of who created it, whatever its state. */
export async function getInvitation(store: Store, invitationId: string) {
  return first(
    await exec(store, (db, t) =>
      db
        .select({ invitation: t.invitations, team: t.teams, inviterName: t.users.name })
        .from(t.invitations)
        .innerJoin(t.teams, eq(t.teams.id, t.invitations.teamId))
        .innerJoin(t.users, eq(t.users.id, t.invitations.createdBy))
        .where(eq(t.invitations.id, invitationId))
        .limit(1),
    ),
  );
}

export async function hasUsedInvitation(store: Store, invitationId: string, userId: string): Promise<boolean> {
  const used = first(
    await exec(store, (db, t) =>
      db
        .select({ userId: t.invitationUses.userId })
        .from(t.invitationUses)
        .where(and(eq(t.invitationUses.invitationId, invitationId), eq(t.invitationUses.userId, userId)))
        .limit(1),
    ),
  );
  return used !== undefined;
}

export type AcceptResult =
  | { ok: true; teamId: string; role: Role; changed: boolean }
  | { ok: false; reason: Exclude<InvitationState, "usable"> | "unknown" };

/**
 * Joins the team through an invitation, all in one transaction: the use is taken by a conditional
 * update (not revoked, not expired, uses left), recorded in invitation_uses, and the membership is
 * applied (an existing member keeps the higher of the two roles). Of two people racing for the last
 * use exactly one gets it: the guard is in the update itself, so it holds under PostgreSQL's read
 * committed too (ADR 0111). Someone who already accepted this link consumes nothing and changes
 * nothing (an owner who removed them meanwhile is not overruled by the old link).
 */
export async function acceptInvitation(store: Store, invitationId: string, userId: string): Promise<AcceptResult> {
  return withTransaction(store, async (tx): Promise<AcceptResult> => {
    const invitation = first(await exec(tx, (db, t) => db.select().from(t.invitations).where(eq(t.invitations.id, invitationId)).limit(1)));
    if (!invitation) return { ok: false, reason: "unknown" };
    const current = await getMembership(tx, invitation.teamId, userId);
    if (await hasUsedInvitation(tx, invitationId, userId)) {
      return { ok: true, teamId: invitation.teamId, role: current?.role ?? invitation.role, changed: false };
    }
    const now = new Date();
    // returning() rather than the driver's changed-row count, which the two drivers report differently.
    const taken = await exec(tx, (db, t) =>
      db
        .update(t.invitations)
        .set({ useCount: sql`${t.invitations.useCount} + 1` })
        .where(
          and(
            eq(t.invitations.id, invitationId),
            isNull(t.invitations.revokedAt),
            gt(t.invitations.expiresAt, now),
            lt(t.invitations.useCount, t.invitations.maxUses),
          ),
        )
        .returning({ id: t.invitations.id }),
    );
    if (taken.length === 0) {
      const state = invitationState(invitation, now);
      return { ok: false, reason: state === "usable" ? "used" : state };
    }
    const role = current && roleAtLeast(current.role, invitation.role) ? current.role : invitation.role;
    await exec(tx, (db, t) => db.insert(t.invitationUses).values({ invitationId, userId, previousRole: current?.role ?? null, role, usedAt: now }));
    if (!current) {
      await exec(tx, (db, t) => db.insert(t.memberships).values({ teamId: invitation.teamId, userId, role, createdAt: now }));
    } else if (role !== current.role) {
      await exec(tx, (db, t) =>
        db
          .update(t.memberships)
          .set({ role })
          .where(and(eq(t.memberships.teamId, invitation.teamId), eq(t.memberships.userId, userId))),
      );
    }
    return { ok: true, teamId: invitation.teamId, role, changed: role !== current?.role };
  });
}
