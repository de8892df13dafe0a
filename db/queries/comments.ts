import { and, asc, count, eq, inArray, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { schema } from "../client";
import { countOpenMentionsPg, listMentionsPg } from "../dialect/pg/mentions";
import { countOpenMentionsSqlite, listMentionsSqlite, type MentionRow } from "../dialect/sqlite/mentions";
import { newId } from "../ids";
import type { Comment, CommentThread } from "../schema";
import { exec, first, rows, withTransaction, type Store } from "../store";

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

/** The thread rows with the resolver's name (an alias of users, built on the store's own table). */
function threadRows(store: Store, where: (t: typeof schema) => SQL) {
  return exec(store, (db, t) => {
    const resolver = alias(t.users, "resolver");
    return db
      .select({ thread: t.commentThreads, resolvedByName: resolver.name })
      .from(t.commentThreads)
      .leftJoin(resolver, eq(resolver.id, t.commentThreads.resolvedBy))
      .where(where(t))
      .orderBy(asc(t.commentThreads.createdAt));
  });
}

async function commentRows(store: Store, threadIds: string[]): Promise<StoredComment[]> {
  if (threadIds.length === 0) return [];
  return exec(store, (db, t) =>
    db
      .select({
        id: t.comments.id,
        threadId: t.comments.threadId,
        authorId: t.comments.authorId,
        authorName: t.users.name,
        authorColor: t.users.color,
        body: t.comments.body,
        mentions: t.comments.mentions,
        createdAt: t.comments.createdAt,
        editedAt: t.comments.editedAt,
      })
      .from(t.comments)
      .leftJoin(t.users, eq(t.users.id, t.comments.authorId))
      .where(inArray(t.comments.threadId, threadIds))
      .orderBy(asc(t.comments.createdAt), asc(t.comments.id)),
  );
}

async function assemble(store: Store, rows: Awaited<ReturnType<typeof threadRows>>): Promise<StoredThread[]> {
  const all = await commentRows(
    store,
    rows.map((r) => r.thread.id),
  );
  return rows.map((r) => ({ ...r.thread, resolvedByName: r.resolvedByName, comments: all.filter((c) => c.threadId === r.thread.id) }));
}

/** Every thread of a briefing with its comments, oldest first. */
export async function listThreads(store: Store, briefingId: string): Promise<StoredThread[]> {
  return assemble(store, await threadRows(store, (t) => eq(t.commentThreads.briefingId, briefingId)));
}

export async function getThread(store: Store, threadId: string): Promise<StoredThread | undefined> {
  return (await assemble(store, await threadRows(store, (t) => eq(t.commentThreads.id, threadId))))[0];
}

export async function getComment(store: Store, commentId: string): Promise<Comment | undefined> {
  return first(await exec(store, (db, t) => db.select().from(t.comments).where(eq(t.comments.id, commentId)).limit(1)));
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

/** Opens a thread with its first comment, in one transaction; returns the thread id. */
export async function createThread(store: Store, input: NewThreadInput): Promise<string> {
  const now = new Date();
  const threadId = newId();
  await withTransaction(store, async (tx) => {
    await exec(tx, (db, t) =>
      db.insert(t.commentThreads).values({
        id: threadId,
        briefingId: input.briefingId,
        anchorStart: Buffer.from(input.anchorStart),
        anchorEnd: Buffer.from(input.anchorEnd),
        quotedText: input.quotedText,
        createdBy: input.authorId,
        createdAt: now,
      }),
    );
    await exec(tx, (db, t) => db.insert(t.comments).values({ id: newId(), threadId, authorId: input.authorId, body: input.body, mentions: input.mentions, createdAt: now }));
  });
  return threadId;
}

export async function addComment(store: Store, threadId: string, authorId: string, body: string, mentions: string[]): Promise<string> {
  const id = newId();
  await exec(store, (db, t) => db.insert(t.comments).values({ id, threadId, authorId, body, mentions, createdAt: new Date() }));
  return id;
}

export async function updateComment(store: Store, commentId: string, body: string, mentions: string[]): Promise<void> {
  await exec(store, (db, t) => db.update(t.comments).set({ body, mentions, editedAt: new Date() }).where(eq(t.comments.id, commentId)));
}

/**
 * Deletes a comment. The first comment of a thread that still has replies becomes a tombstone; a
 * thread left with nothing but a tombstone (or nothing at all) is deleted with it.
 * Returns whether the thread is gone.
 */
export async function deleteComment(store: Store, commentId: string): Promise<{ threadDeleted: boolean }> {
  return withTransaction(store, async (tx) => {
    const target = await getComment(tx, commentId);
    if (!target) return { threadDeleted: false };
    const firstComment = first(
      await exec(tx, (db, t) =>
        db
          .select({ id: t.comments.id })
          .from(t.comments)
          .where(eq(t.comments.threadId, target.threadId))
          .orderBy(asc(t.comments.createdAt), asc(t.comments.id))
          .limit(1),
      ),
    );
    // count() maps to a number on both dialects (PostgreSQL's count(*) is a bigint, sent as text).
    const [{ n: othersLive }] = await exec(tx, (db, t) =>
      db
        .select({ n: count() })
        .from(t.comments)
        .where(and(eq(t.comments.threadId, target.threadId), ne(t.comments.id, commentId), ne(t.comments.body, ""))),
    );
    if (othersLive === 0) {
      await exec(tx, (db, t) => db.delete(t.commentThreads).where(eq(t.commentThreads.id, target.threadId)));
      return { threadDeleted: true };
    }
    if (firstComment?.id === commentId) {
      await exec(tx, (db, t) => db.update(t.comments).set({ body: "", mentions: [], editedAt: new Date() }).where(eq(t.comments.id, commentId)));
    } else {
      await exec(tx, (db, t) => db.delete(t.comments).where(eq(t.comments.id, commentId)));
    }
    return { threadDeleted: false };
  });
}

/** Points a thread at another range of the body (its text moved), with that range's text. */
export async function setThreadAnchor(store: Store, threadId: string, anchorStart: Uint8Array, anchorEnd: Uint8Array, quotedText: string): Promise<void> {
  await exec(store, (db, t) =>
    db
      .update(t.commentThreads)
      .set({ anchorStart: Buffer.from(anchorStart), anchorEnd: Buffer.from(anchorEnd), quotedText })
      .where(eq(t.commentThreads.id, threadId)),
  );
}

/** Resolves (userId) or reopens (null) a thread. */
export async function setThreadResolved(store: Store, threadId: string, userId: string | null): Promise<void> {
  await exec(store, (db, t) =>
    db
      .update(t.commentThreads)
      .set(userId ? { resolvedAt: new Date(), resolvedBy: userId } : { resolvedAt: null, resolvedBy: null })
      .where(eq(t.commentThreads.id, threadId)),
  );
}

/** A comment that mentions someone, for their mentions page. */
export type Mention = MentionRow;

/** Comments that mention `userId`, newest first: from briefings of teams the user is in now, not their own, not deleted. */
export async function listMentions(store: Store, userId: string, limit = 50): Promise<Mention[]> {
  if (store.dialect === "pg") return rows<Mention>(store, listMentionsPg(userId, limit));
  return exec(store, (db) => listMentionsSqlite(db, userId, limit));
}

/** How many comments in open threads mention `userId` (for the top bar). */
export async function countOpenMentions(store: Store, userId: string): Promise<number> {
  if (store.dialect === "pg") return first(await rows<{ n: number }>(store, countOpenMentionsPg(userId)))?.n ?? 0;
  return exec(store, (db) => countOpenMentionsSqlite(db, userId));
}
