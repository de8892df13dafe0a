import { and, asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { schema, type Db } from "../client";
import { newId } from "../ids";
import type { Suggestion } from "../schema";
import { exec, first, type Store } from "../store";

/** Suggested edits of a briefing body (docs/decisions/0504). */

export interface StoredSuggestion extends Suggestion {
  authorName: string | null;
  authorColor: string | null;
  acceptedByName: string | null;
  rejectedByName: string | null;
}

/** Suggestions with the names of their author and deciders (aliases of users, on the store's own table). */
function select(db: Db, t: typeof schema) {
  const author = alias(t.users, "author");
  const accepter = alias(t.users, "accepter");
  const rejecter = alias(t.users, "rejecter");
  return db
    .select({
      s: t.suggestions,
      authorName: author.name,
      authorColor: author.color,
      acceptedByName: accepter.name,
      rejectedByName: rejecter.name,
    })
    .from(t.suggestions)
    .leftJoin(author, eq(author.id, t.suggestions.authorId))
    .leftJoin(accepter, eq(accepter.id, t.suggestions.acceptedBy))
    .leftJoin(rejecter, eq(rejecter.id, t.suggestions.rejectedBy));
}

type Row = Awaited<ReturnType<typeof select>>[number];
const stored = (r: Row): StoredSuggestion => ({ ...r.s, authorName: r.authorName, authorColor: r.authorColor, acceptedByName: r.acceptedByName, rejectedByName: r.rejectedByName });

/**
 * SQLite only: the two statements on the way from an accept to the broadcast, compiled once per
 * database: building drizzle's SQL per call cost more than running it (measured, docs/decisions/0507).
 * RETURNING tells whether the guarded update changed the row.
 */
function prepareStatements(db: Db) {
  const decided = (decision: "accepted" | "rejected") =>
    db
      .update(schema.suggestions)
      .set(
        decision === "accepted"
          ? { status: decision, acceptedBy: sql`${sql.placeholder("userId")}`, acceptedAt: sql`${sql.placeholder("at")}` }
          : { status: decision, rejectedBy: sql`${sql.placeholder("userId")}`, rejectedAt: sql`${sql.placeholder("at")}` },
      )
      .where(and(eq(schema.suggestions.id, sql.placeholder("id")), eq(schema.suggestions.status, "open")))
      .returning({ id: schema.suggestions.id })
      .prepare();
  return {
    byId: select(db, schema).where(eq(schema.suggestions.id, sql.placeholder("id"))).prepare(),
    accepted: decided("accepted"),
    rejected: decided("rejected"),
  };
}

const statements = new WeakMap<Db, ReturnType<typeof prepareStatements>>();

function prepared(db: Db): ReturnType<typeof prepareStatements> {
  let found = statements.get(db);
  if (!found) statements.set(db, (found = prepareStatements(db)));
  return found;
}

/** Every suggestion of a briefing, oldest first. */
export async function listSuggestions(store: Store, briefingId: string): Promise<StoredSuggestion[]> {
  const found = await exec(store, (db, t) =>
    select(db, t)
      .where(eq(t.suggestions.briefingId, briefingId))
      .orderBy(asc(t.suggestions.createdAt), asc(t.suggestions.id)),
  );
  return found.map(stored);
}

export async function getSuggestion(store: Store, id: string): Promise<StoredSuggestion | undefined> {
  if (store.dialect === "sqlite") {
    const byId = prepared(store.db).byId;
    const row = await exec(store, () => byId.get({ id }));
    return row ? stored(row) : undefined;
  }
  const row = first(await exec(store, (db, t) => select(db, t).where(eq(t.suggestions.id, id)).limit(1)));
  return row ? stored(row) : undefined;
}

/** The open suggestions one person made on a briefing (for "accept / reject all of theirs"). */
export async function openSuggestionIdsBy(store: Store, briefingId: string, authorId: string): Promise<string[]> {
  const found = await exec(store, (db, t) =>
    db
      .select({ id: t.suggestions.id })
      .from(t.suggestions)
      .where(and(eq(t.suggestions.briefingId, briefingId), eq(t.suggestions.authorId, authorId), eq(t.suggestions.status, "open")))
      .orderBy(asc(t.suggestions.createdAt), asc(t.suggestions.id)),
  );
  return found.map((r) => r.id);
}

export interface NewSuggestionInput {
  briefingId: string;
  kind: Suggestion["kind"];
  anchorStart: Uint8Array;
  anchorEnd: Uint8Array;
  originalText: string;
  replacement: string;
  authorId: string;
}

export async function createSuggestion(store: Store, input: NewSuggestionInput): Promise<string> {
  const id = newId();
  await exec(store, (db, t) =>
    db.insert(t.suggestions).values({
      id,
      briefingId: input.briefingId,
      kind: input.kind,
      anchorStart: Buffer.from(input.anchorStart),
      anchorEnd: Buffer.from(input.anchorEnd),
      originalText: input.originalText,
      replacement: input.replacement,
      authorId: input.authorId,
      createdAt: new Date(),
    }),
  );
  return id;
}

/**
 * Records the decision on a suggestion that is still open; false when someone decided it first.
 * The status check is in the same statement (`where status = 'open' … returning`), so of two
 * deciders, on one instance or on several sharing the database, exactly one wins. An accept takes
 * this before it changes the document and gives it back with reopenAccepted when the text then
 * fails its check (docs/decisions/0508). `at` is the decision's time, which reopenAccepted matches.
 */
export async function decideSuggestion(store: Store, id: string, decision: "accepted" | "rejected", userId: string, at: Date = new Date()): Promise<boolean> {
  if (store.dialect === "sqlite") {
    const statement = prepared(store.db)[decision];
    // A placeholder is bound as given, without the column's Date mapping: milliseconds, as timestamp_ms stores.
    return (await exec(store, () => statement.get({ id, userId, at: at.getTime() }))) !== undefined;
  }
  const changed = await exec(store, (db, t) =>
    db
      .update(t.suggestions)
      .set(decision === "accepted" ? { status: decision, acceptedBy: userId, acceptedAt: at } : { status: decision, rejectedBy: userId, rejectedAt: at })
      .where(and(eq(t.suggestions.id, id), eq(t.suggestions.status, "open")))
      .returning({ id: t.suggestions.id }),
  );
  return changed.length === 1;
}

/**
 * Gives back an accept that decideSuggestion recorded but that could not be applied (the text
 * changed before the document change ran, or the briefing became final): open again, only while
 * it is still that very accept (same user, same time), so nothing decided since is undone.
 */
export async function reopenAccepted(store: Store, id: string, userId: string, at: Date): Promise<boolean> {
  const changed = await exec(store, (db, t) =>
    db
      .update(t.suggestions)
      .set({ status: "open", acceptedBy: null, acceptedAt: null })
      .where(and(eq(t.suggestions.id, id), eq(t.suggestions.status, "accepted"), eq(t.suggestions.acceptedBy, userId), eq(t.suggestions.acceptedAt, at)))
      .returning({ id: t.suggestions.id }),
  );
  return changed.length === 1;
}

export async function setSuggestionThread(store: Store, id: string, threadId: string): Promise<void> {
  await exec(store, (db, t) => db.update(t.suggestions).set({ threadId }).where(eq(t.suggestions.id, id)));
}

/**
 * Puts an open suggestion on a new place (its text or topic moved, docs/decisions/0507); false
 * when it was decided meanwhile (the status check is in the same statement).
 */
export async function setSuggestionAnchor(store: Store, id: string, anchorStart: Uint8Array, anchorEnd: Uint8Array): Promise<boolean> {
  const changed = await exec(store, (db, t) =>
    db
      .update(t.suggestions)
      .set({ anchorStart: Buffer.from(anchorStart), anchorEnd: Buffer.from(anchorEnd) })
      .where(and(eq(t.suggestions.id, id), eq(t.suggestions.status, "open")))
      .returning({ id: t.suggestions.id }),
  );
  return changed.length === 1;
}
