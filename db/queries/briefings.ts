import { and, desc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { briefings, memberships, type Briefing, type Role } from "../schema";
import { exec, first, type Store } from "../store";

export interface BriefingInput {
  title: string;
  summitName: string;
  city: string;
  startDate: string;
  endDate: string;
  /** A level name of the team: the brief's minimum level. */
  classification: string;
}

export async function createBriefing(store: Store, teamId: string, input: BriefingInput, userId: string, id: string = newId()): Promise<Briefing> {
  const now = new Date();
  const [briefing] = await exec(store, (db, t) =>
    db
      .insert(t.briefings)
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
      .returning(),
  );
  return briefing;
}

export async function getBriefing(store: Store, briefingId: string): Promise<Briefing | undefined> {
  if (store.dialect === "sqlite") {
    const prepared = preparedFor(store.db).briefing;
    return exec(store, () => prepared.get({ briefingId }));
  }
  return first(await exec(store, (db, t) => db.select().from(t.briefings).where(eq(t.briefings.id, briefingId)).limit(1)));
}

/** The briefing with the caller's role in its team, or undefined when it does not exist or they are no member. */
export async function getBriefingAccess(store: Store, briefingId: string, userId: string): Promise<{ briefing: Briefing; role: Role } | undefined> {
  if (store.dialect === "sqlite") {
    const prepared = preparedFor(store.db).access;
    return exec(store, () => prepared.get({ briefingId, userId }));
  }
  return first(
    await exec(store, (db, t) =>
      db
        .select({ briefing: t.briefings, role: t.memberships.role })
        .from(t.briefings)
        .innerJoin(t.memberships, and(eq(t.memberships.teamId, t.briefings.teamId), eq(t.memberships.userId, userId)))
        .where(eq(t.briefings.id, briefingId))
        .limit(1),
    ),
  );
}

/** SQLite only: the two look-ups of every briefing request, export and socket upgrade, compiled once per database. */
function prepareBriefingQueries(db: Db) {
  return {
    briefing: db.select().from(briefings).where(eq(briefings.id, sql.placeholder("briefingId"))).prepare(),
    access: db
      .select({ briefing: briefings, role: memberships.role })
      .from(briefings)
      .innerJoin(memberships, and(eq(memberships.teamId, briefings.teamId), eq(memberships.userId, sql.placeholder("userId"))))
      .where(eq(briefings.id, sql.placeholder("briefingId")))
      .prepare(),
  };
}

const briefingQueries = new WeakMap<Db, ReturnType<typeof prepareBriefingQueries>>();

function preparedFor(db: Db) {
  let queries = briefingQueries.get(db);
  if (!queries) briefingQueries.set(db, (queries = prepareBriefingQueries(db)));
  return queries;
}

export type BriefingSort = "last_edited" | "title" | "created";

/**
 * Titles in case-insensitive order. lower() rather than SQLite's `collate nocase`, which PostgreSQL
 * lacks; on SQLite both fold ASCII letters only, so the order there is the same as before.
 */
function byTitle(t: Store["t"]) {
  return sql`lower(${t.briefings.title}) asc`;
}

export async function listBriefings(store: Store, teamId: string, opts: { archived?: boolean; sort?: BriefingSort } = {}) {
  return exec(store, (db, t) => {
    const order = opts.sort === "title" ? byTitle(t) : opts.sort === "created" ? desc(t.briefings.createdAt) : desc(t.briefings.lastEditedAt);
    return db
      .select({
        id: t.briefings.id,
        title: t.briefings.title,
        summitName: t.briefings.summitName,
        city: t.briefings.city,
        startDate: t.briefings.startDate,
        endDate: t.briefings.endDate,
        classification: t.briefings.classification,
        portionMarks: t.briefings.portionMarks,
        status: t.briefings.status,
        archivedAt: t.briefings.archivedAt,
        lastEditedAt: t.briefings.lastEditedAt,
        lastEditedByName: t.users.name,
        isTemplate: t.briefings.isTemplate,
        // mapWith(Number): PostgreSQL's count(*) is a bigint, which node-postgres sends as text.
        openThreads: sql<number>`(select count(*) from comment_threads t where t.briefing_id = ${t.briefings.id} and t.resolved_at is null)`.mapWith(Number),
      })
      .from(t.briefings)
      .leftJoin(t.users, eq(t.users.id, t.briefings.lastEditedBy))
      .where(and(eq(t.briefings.teamId, teamId), opts.archived ? isNotNull(t.briefings.archivedAt) : isNull(t.briefings.archivedAt)))
      .orderBy(order);
  });
}

/** The user's own latest work in a team, for "Recently edited by you": active briefings they last touched, newest first. */
export async function listRecentlyEditedBy(store: Store, teamId: string, userId: string, limit: number) {
  return exec(store, (db, t) =>
    db
      .select({ id: t.briefings.id, title: t.briefings.title, status: t.briefings.status, lastEditedAt: t.briefings.lastEditedAt })
      .from(t.briefings)
      .where(and(eq(t.briefings.teamId, teamId), eq(t.briefings.lastEditedBy, userId), isNull(t.briefings.archivedAt)))
      .orderBy(desc(t.briefings.lastEditedAt), desc(t.briefings.id))
      .limit(limit),
  );
}

/**
 * Changes title, summit fields or classification. A final briefing is frozen, its details as much as
 * its text (the content hash covers them): false when the briefing is final and nothing changed.
 */
export async function updateBriefingDetails(store: Store, briefingId: string, input: Partial<BriefingInput>, userId: string): Promise<boolean> {
  const now = new Date();
  // returning() rather than the driver's changed-row count, which the two drivers report differently.
  const changed = await exec(store, (db, t) =>
    db
      .update(t.briefings)
      .set({ ...input, updatedAt: now, lastEditedAt: now, lastEditedBy: userId })
      .where(and(eq(t.briefings.id, briefingId), ne(t.briefings.status, "final")))
      .returning({ id: t.briefings.id }),
  );
  return changed.length > 0;
}

export async function setBriefingArchived(store: Store, briefingId: string, archived: boolean): Promise<void> {
  await exec(store, (db, t) =>
    db
      .update(t.briefings)
      .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
      .where(eq(t.briefings.id, briefingId)),
  );
}

/** Marks a briefing as one of its team's templates (offered under New briefing), or no longer. */
export async function setBriefingTemplate(store: Store, briefingId: string, isTemplate: boolean): Promise<void> {
  await exec(store, (db, t) => db.update(t.briefings).set({ isTemplate, updatedAt: new Date() }).where(eq(t.briefings.id, briefingId)));
}

/** The team's templates for the New briefing choice, by title. */
export async function listTemplates(store: Store, teamId: string) {
  return exec(store, (db, t) =>
    db
      .select({ id: t.briefings.id, title: t.briefings.title })
      .from(t.briefings)
      .where(and(eq(t.briefings.teamId, teamId), eq(t.briefings.isTemplate, true), isNull(t.briefings.archivedAt)))
      .orderBy(byTitle(t)),
  );
}

export async function deleteBriefing(store: Store, briefingId: string): Promise<void> {
  await exec(store, (db, t) => db.delete(t.briefings).where(eq(t.briefings.id, briefingId)));
}
