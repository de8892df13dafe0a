import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { invitations, memberships, teams, users, type Invitation, type Role, type Team } from "../schema";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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

export function createInvitation(db: Db, teamId: string, role: Role, createdBy: string): Invitation {
  const now = Date.now();
  return db
    .insert(invitations)
    .values({
      id: newId(),
      teamId,
      role,
      createdBy,
      createdAt: new Date(now),
      expiresAt: new Date(now + INVITATION_TTL_MS),
    })
    .returning()
    .get();
}

export function listOpenInvitations(db: Db, teamId: string) {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.teamId, teamId), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
    .orderBy(asc(invitations.createdAt))
    .all();
}

export function revokeInvitation(db: Db, teamId: string, invitationId: string): void {
  db.update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.id, invitationId), eq(invitations.teamId, teamId)))
    .run();
}

/** An invitation that can still be used, with its team. */
export function getUsableInvitation(db: Db, invitationId: string) {
  return db
    .select({ invitation: invitations, team: teams })
    .from(invitations)
    .innerJoin(teams, eq(teams.id, invitations.teamId))
    .where(and(eq(invitations.id, invitationId), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
    .get();
}

/** Joins the team with the invitation's role; an existing member keeps the higher of the two roles. */
export function acceptInvitation(db: Db, invitation: Invitation, userId: string): void {
  const rank: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };
  db.transaction((tx) => {
    const current = getMembership(tx as unknown as Db, invitation.teamId, userId);
    if (!current) {
      tx.insert(memberships)
        .values({ teamId: invitation.teamId, userId, role: invitation.role, createdAt: new Date() })
        .run();
    } else if (rank[invitation.role] > rank[current.role]) {
      tx.update(memberships)
        .set({ role: invitation.role })
        .where(and(eq(memberships.teamId, invitation.teamId), eq(memberships.userId, userId)))
        .run();
    }
  });
}
