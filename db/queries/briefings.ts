import { and, desc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { briefings, memberships, users, type Briefing, type Role } from "../schema";

export interface BriefingInput {
  title: string;
  summitName: string;
  city: string;
  startDate: string;
  endDate: string;
  /** A level name of the team: the brief's minimum level. */
  classification: string;
}

export function createBriefing(db: Db, teamId: string, input: BriefingInput, userId: string, id: string = newId()): Briefing {
  const now = new Date();
  return db
    .insert(briefings)
    .values({
      id,
      teamId,
      ...input,
      status: "draft",
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
      lastEditedBy: userId,
      lastEditedAt: now,
    })
    .returning()
    .get();
}

export function getBriefing(db: Db, briefingId: string): Briefing | undefined {
  return db.select().from(briefings).where(eq(briefings.id, briefingId)).get();
}

/** The briefing with the caller's role in its team, or undefined when it does not exist or they are no member. */
function prepareBriefingAccess(db: Db) {
  return db
    .select({ briefing: briefings, role: memberships.role })
    .from(briefings)
    .innerJoin(memberships, and(eq(memberships.teamId, briefings.teamId), eq(memberships.userId, sql.placeholder("userId"))))
    .where(eq(briefings.id, sql.placeholder("briefingId")))
    .prepare();
}

// Checked on every briefing request, export and socket upgrade: compiled once per database.
const briefingAccessQueries = new WeakMap<Db, ReturnType<typeof prepareBriefingAccess>>();

export function getBriefingAccess(db: Db, briefingId: string, userId: string): { briefing: Briefing; role: Role } | undefined {
  let query = briefingAccessQueries.get(db);
  if (!query) briefingAccessQueries.set(db, (query = prepareBriefingAccess(db)));
  return query.get({ briefingId, userId });
}

export type BriefingSort = "last_edited" | "title" | "created";

export function listBriefings(db: Db, teamId: string, opts: { archived?: boolean; sort?: BriefingSort } = {}) {
  const order =
    opts.sort === "title"
      ? sql`${briefings.title} collate nocase asc`
      : opts.sort === "created"
        ? desc(briefings.createdAt)
        : desc(briefings.lastEditedAt);
  return db
    .select({
      id: briefings.id,
      title: briefings.title,
      summitName: briefings.summitName,
      city: briefings.city,
      startDate: briefings.startDate,
      endDate: briefings.endDate,
      classification: briefings.classification,
      portionMarks: briefings.portionMarks,
      status: briefings.status,
      archivedAt: briefings.archivedAt,
      lastEditedAt: briefings.lastEditedAt,
      lastEditedByName: users.name,
      isTemplate: briefings.isTemplate,
      openThreads: sql<number>`(select count(*) from comment_threads t where t.briefing_id = ${briefings.id} and t.resolved_at is null)`,
    })
    .from(briefings)
    .leftJoin(users, eq(users.id, briefings.lastEditedBy))
    .where(and(eq(briefings.teamId, teamId), opts.archived ? isNotNull(briefings.archivedAt) : isNull(briefings.archivedAt)))
    .orderBy(order)
    .all();
}

/** The user's own latest work in a team, for "Recently edited by you": active briefings they last touched, newest first. */
export function listRecentlyEditedBy(db: Db, teamId: string, userId: string, limit: number) {
  return db
    .select({ id: briefings.id, title: briefings.title, status: briefings.status, lastEditedAt: briefings.lastEditedAt })
    .from(briefings)
    .where(and(eq(briefings.teamId, teamId), eq(briefings.lastEditedBy, userId), isNull(briefings.archivedAt)))
    .orderBy(desc(briefings.lastEditedAt), desc(briefings.id))
    .limit(limit)
    .all();
}

/**
 * Changes title, summit fields or classification. A final briefing is frozen, its details as much as
 * its text (the content hash covers them): false when the briefing is final and nothing changed.
 */
export function updateBriefingDetails(db: Db, briefingId: string, input: Partial<BriefingInput>, userId: string): boolean {
  const now = new Date();
  const result = db
    .update(briefings)
    .set({ ...input, updatedAt: now, lastEditedAt: now, lastEditedBy: userId })
    .where(and(eq(briefings.id, briefingId), ne(briefings.status, "final")))
    .run();
  return result.changes > 0;
}

export function setBriefingArchived(db: Db, briefingId: string, archived: boolean): void {
  db.update(briefings)
    .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
    .where(eq(briefings.id, briefingId))
    .run();
}

/** Marks a briefing as one of its team's templates (offered under New briefing), or no longer. */
export function setBriefingTemplate(db: Db, briefingId: string, isTemplate: boolean): void {
  db.update(briefings).set({ isTemplate, updatedAt: new Date() }).where(eq(briefings.id, briefingId)).run();
}

/** The team's templates for the New briefing choice, by title. */
export function listTemplates(db: Db, teamId: string) {
  return db
    .select({ id: briefings.id, title: briefings.title })
    .from(briefings)
    .where(and(eq(briefings.teamId, teamId), eq(briefings.isTemplate, true), isNull(briefings.archivedAt)))
    .orderBy(sql`${briefings.title} collate nocase asc`)
    .all();
}

export function deleteBriefing(db: Db, briefingId: string): void {
  db.delete(briefings).where(eq(briefings.id, briefingId)).run();
}
