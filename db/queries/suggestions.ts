import { and, asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";
import { newId } from "../ids";
import { suggestions, users, type Suggestion } from "../schema";

/** Suggested edits of a briefing body (docs/decisions/0504). */

export interface StoredSuggestion extends Suggestion {
  authorName: string | null;
  authorColor: string | null;
  acceptedByName: string | null;
  rejectedByName: string | null;
}

const author = alias(users, "author");
const accepter = alias(users, "accepter");
const rejecter = alias(users, "rejecter");

function select(db: Db) {
  return db
    .select({
      s: suggestions,
      authorName: author.name,
      authorColor: author.color,
      acceptedByName: accepter.name,
      rejectedByName: rejecter.name,
    })
    .from(suggestions)
    .leftJoin(author, eq(author.id, suggestions.authorId))
    .leftJoin(accepter, eq(accepter.id, suggestions.acceptedBy))
    .leftJoin(rejecter, eq(rejecter.id, suggestions.rejectedBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof select>["all"]>>[number];
const stored = (r: Row): StoredSuggestion => ({ ...r.s, authorName: r.authorName, authorColor: r.authorColor, acceptedByName: r.acceptedByName, rejectedByName: r.rejectedByName });

function rows(db: Db, where: ReturnType<typeof eq>): StoredSuggestion[] {
  return select(db).where(where).orderBy(asc(suggestions.createdAt), asc(suggestions.id)).all().map(stored);
}

/**
 * The two statements on the way from an accept to the broadcast, compiled once per database:
 * building drizzle's SQL per call cost more than running it (measured, docs/decisions/0507).
 */
function prepareStatements(db: Db) {
  const decided = (decision: "accepted" | "rejected") =>
    db
      .update(suggestions)
      .set(
        decision === "accepted"
          ? { status: decision, acceptedBy: sql`${sql.placeholder("userId")}`, acceptedAt: sql`${sql.placeholder("at")}` }
          : { status: decision, rejectedBy: sql`${sql.placeholder("userId")}`, rejectedAt: sql`${sql.placeholder("at")}` },
      )
      .where(and(eq(suggestions.id, sql.placeholder("id")), eq(suggestions.status, "open")))
      .prepare();
  return {
    byId: select(db).where(eq(suggestions.id, sql.placeholder("id"))).prepare(),
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
export function listSuggestions(db: Db, briefingId: string): StoredSuggestion[] {
  return rows(db, eq(suggestions.briefingId, briefingId));
}

export function getSuggestion(db: Db, id: string): StoredSuggestion | undefined {
  const row = prepared(db).byId.get({ id });
  return row ? stored(row) : undefined;
}

/** The open suggestions one person made on a briefing (for "accept / reject all of theirs"). */
export function openSuggestionIdsBy(db: Db, briefingId: string, authorId: string): string[] {
  return db
    .select({ id: suggestions.id })
    .from(suggestions)
    .where(and(eq(suggestions.briefingId, briefingId), eq(suggestions.authorId, authorId), eq(suggestions.status, "open")))
    .orderBy(asc(suggestions.createdAt), asc(suggestions.id))
    .all()
    .map((r) => r.id);
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

export function createSuggestion(db: Db, input: NewSuggestionInput): string {
  const id = newId();
  db.insert(suggestions)
    .values({
      id,
      briefingId: input.briefingId,
      kind: input.kind,
      anchorStart: Buffer.from(input.anchorStart),
      anchorEnd: Buffer.from(input.anchorEnd),
      originalText: input.originalText,
      replacement: input.replacement,
      authorId: input.authorId,
      createdAt: new Date(),
    })
    .run();
  return id;
}

/**
 * Records the decision on a suggestion that is still open; false when someone decided it first
 * (the status check is in the same statement, so two deciders cannot both win).
 */
export function decideSuggestion(db: Db, id: string, decision: "accepted" | "rejected", userId: string): boolean {
  // A placeholder is bound as given, without the column's Date mapping: milliseconds, as timestamp_ms stores.
  return prepared(db)[decision].run({ id, userId, at: Date.now() }).changes === 1;
}

export function setSuggestionThread(db: Db, id: string, threadId: string): void {
  db.update(suggestions).set({ threadId }).where(eq(suggestions.id, id)).run();
}
