import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";
import { newId } from "../ids";
import { commentThreads, comments, users, type CommentThread } from "../schema";

/**
 * Comment threads and their comments. A deleted first comment that still has replies stays as a
 * tombstone: an empty body (a real comment is never empty, validation trims and requires text).
 */

export interface StoredComment {
  id: string;
  threadId: string;
  authorId: string | null;
  authorName: string | null;
  authorColor: string | null;
  body: string;
  mentions: string[];
  createdAt: Date;
  editedAt: Date | null;
}

export interface StoredThread extends CommentThread {
  resolvedByName: string | null;
  comments: StoredComment[];
}

const resolver = alias(users, "resolver");

function threadRows(db: Db, where: ReturnType<typeof eq>) {
  return db
    .select({ thread: commentThreads, resolvedByName: resolver.name })
    .from(commentThreads)
    .leftJoin(resolver, eq(resolver.id, commentThreads.resolvedBy))
    .where(where)
    .orderBy(asc(commentThreads.createdAt))
    .all();
}

function commentRows(db: Db, threadIds: string[]): StoredComment[] {
  if (threadIds.length === 0) return [];
  return db
    .select({
      id: comments.id,
      threadId: comments.threadId,
      authorId: comments.authorId,
      authorName: users.name,
      authorColor: users.color,
      body: comments.body,
      mentions: comments.mentions,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(inArray(comments.threadId, threadIds))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .all();
}

function assemble(db: Db, rows: ReturnType<typeof threadRows>): StoredThread[] {
  const all = commentRows(
    db,
    rows.map((r) => r.thread.id),
  );
  return rows.map((r) => ({ ...r.thread, resolvedByName: r.resolvedByName, comments: all.filter((c) => c.threadId === r.thread.id) }));
}

/** Every thread of a briefing with its comments, oldest first. */
export function listThreads(db: Db, briefingId: string): StoredThread[] {
  return assemble(db, threadRows(db, eq(commentThreads.briefingId, briefingId)));
}

export function getThread(db: Db, threadId: string): StoredThread | undefined {
  return assemble(db, threadRows(db, eq(commentThreads.id, threadId)))[0];
}

export function getComment(db: Db, commentId: string) {
  return db.select().from(comments).where(eq(comments.id, commentId)).get();
}

export interface NewThreadInput {
  briefingId: string;
  anchorStart: Uint8Array;
  anchorEnd: Uint8Array;
  quotedText: string;
  authorId: string;
  body: string;
  mentions: string[];
}

/** Opens a thread with its first comment; returns the thread id. */
export function createThread(db: Db, input: NewThreadInput): string {
  const now = new Date();
  const threadId = newId();
  db.transaction((tx) => {
    tx.insert(commentThreads)
      .values({
        id: threadId,
        briefingId: input.briefingId,
        anchorStart: Buffer.from(input.anchorStart),
        anchorEnd: Buffer.from(input.anchorEnd),
        quotedText: input.quotedText,
        createdBy: input.authorId,
        createdAt: now,
      })
      .run();
    tx.insert(comments)
      .values({ id: newId(), threadId, authorId: input.authorId, body: input.body, mentions: input.mentions, createdAt: now })
      .run();
  });
  return threadId;
}

export function addComment(db: Db, threadId: string, authorId: string, body: string, mentions: string[]): string {
  const id = newId();
  db.insert(comments).values({ id, threadId, authorId, body, mentions, createdAt: new Date() }).run();
  return id;
}

export function updateComment(db: Db, commentId: string, body: string, mentions: string[]): void {
  db.update(comments).set({ body, mentions, editedAt: new Date() }).where(eq(comments.id, commentId)).run();
}

/**
 * Deletes a comment. The first comment of a thread that still has replies becomes a tombstone; a
 * thread left with nothing but a tombstone (or nothing at all) is deleted with it.
 * Returns whether the thread is gone.
 */
export function deleteComment(db: Db, commentId: string): { threadDeleted: boolean } {
  return db.transaction((tx) => {
    const t = tx as unknown as Db;
    const target = getComment(t, commentId);
    if (!target) return { threadDeleted: false };
    const first = t
      .select({ id: comments.id })
      .from(comments)
      .where(eq(comments.threadId, target.threadId))
      .orderBy(asc(comments.createdAt), asc(comments.id))
      .limit(1)
      .get();
    const othersLive = t
      .select({ n: sql<number>`count(*)` })
      .from(comments)
      .where(and(eq(comments.threadId, target.threadId), ne(comments.id, commentId), ne(comments.body, "")))
      .get()!.n;
    if (othersLive === 0) {
      t.delete(commentThreads).where(eq(commentThreads.id, target.threadId)).run();
      return { threadDeleted: true };
    }
    if (first?.id === commentId) {
      t.update(comments).set({ body: "", mentions: [], editedAt: new Date() }).where(eq(comments.id, commentId)).run();
    } else {
      t.delete(comments).where(eq(comments.id, commentId)).run();
    }
    return { threadDeleted: false };
  });
}

/** Points a thread at another range of the body (its text moved), with that range's text. */
export function setThreadAnchor(db: Db, threadId: string, anchorStart: Uint8Array, anchorEnd: Uint8Array, quotedText: string): void {
  db.update(commentThreads)
    .set({ anchorStart: Buffer.from(anchorStart), anchorEnd: Buffer.from(anchorEnd), quotedText })
    .where(eq(commentThreads.id, threadId))
    .run();
}

/** Resolves (userId) or reopens (null) a thread. */
export function setThreadResolved(db: Db, threadId: string, userId: string | null): void {
  db.update(commentThreads)
    .set(userId ? { resolvedAt: new Date(), resolvedBy: userId } : { resolvedAt: null, resolvedBy: null })
    .where(eq(commentThreads.id, threadId))
    .run();
}

export interface Mention {
  commentId: string;
  threadId: string;
  briefingId: string;
  briefingTitle: string;
  teamName: string;
  authorName: string | null;
  authorColor: string | null;
  body: string;
  quotedText: string;
  createdAt: number;
  resolved: boolean;
}

// Comments that mention a user, from briefings of teams the user is in now. The user's own
// comments and deleted ones (empty body) are left out.
const MENTIONS_FROM = `
    from comments c
    join comment_threads t on t.id = c.thread_id
    join briefings b on b.id = t.briefing_id
    join memberships ms on ms.team_id = b.team_id and ms.user_id = @userId
    left join users u on u.id = c.author_id
   where c.body != '' and (c.author_id is null or c.author_id != @userId)
     and exists (select 1 from json_each(c.mentions) m where m.value = @userId)`;

function prepareMentionQueries(db: Db) {
  return {
    list: db.$client.prepare<{ userId: string; limit: number }, Omit<Mention, "resolved"> & { resolved: number }>(
      `select c.id as commentId, c.thread_id as threadId, t.briefing_id as briefingId, b.title as briefingTitle,
              (select name from teams where id = b.team_id) as teamName, u.name as authorName, u.color as authorColor,
              c.body as body, t.quoted_text as quotedText, c.created_at as createdAt, t.resolved_at is not null as resolved
       ${MENTIONS_FROM}
       order by c.created_at desc
       limit @limit`,
    ),
    // The top bar asks on every page: a count, prepared once per database.
    countOpen: db.$client.prepare<{ userId: string }, number>(`select count(*) ${MENTIONS_FROM} and t.resolved_at is null`).pluck(),
  };
}

const mentionQueries = new WeakMap<Db, ReturnType<typeof prepareMentionQueries>>();

function mentionQueriesFor(db: Db) {
  let q = mentionQueries.get(db);
  if (!q) mentionQueries.set(db, (q = prepareMentionQueries(db)));
  return q;
}

/** Comments that mention `userId`, newest first (see MENTIONS_FROM for which). */
export function listMentions(db: Db, userId: string, limit = 50): Mention[] {
  return mentionQueriesFor(db)
    .list.all({ userId, limit })
    .map((row) => ({ ...row, resolved: row.resolved === 1 }));
}

/** How many comments in open threads mention `userId` (for the top bar). */
export function countOpenMentions(db: Db, userId: string): number {
  return mentionQueriesFor(db).countOpen.get({ userId }) ?? 0;
}
