import crypto from "node:crypto";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { sessions, users, type User } from "../schema";
import { exec, first, type Store } from "../store";

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export interface SessionUser {
  sessionId: string;
  user: User;
  /** When the session ends (a cache of it must not outlive it). */
  expiresAt: Date;
}

/** Creates a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(store: Store, userId: string, ttlMs: number): Promise<{ token: string; sessionId: string }> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = Date.now();
  const sessionId = hashToken(token);
  await exec(store, (db, t) => db.insert(t.sessions).values({ id: sessionId, userId, createdAt: new Date(now), expiresAt: new Date(now + ttlMs) }));
  return { token, sessionId };
}

/** SQLite only: the prepared statement of the hot lookup. */
function prepareSessionUser(db: Db) {
  return db
    .select({ sessionId: sessions.id, user: users, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("nowMs"))))
    .prepare();
}

// Every request and socket upgrade looks its session up: on SQLite compiled once per database, not
// per call (node-postgres has no equivalent worth the dialect switch).
const sessionUserQueries = new WeakMap<Db, ReturnType<typeof prepareSessionUser>>();

export async function getSessionUser(store: Store, token: string): Promise<SessionUser | null> {
  const id = hashToken(token);
  if (store.dialect === "sqlite") {
    let query = sessionUserQueries.get(store.db);
    if (!query) sessionUserQueries.set(store.db, (query = prepareSessionUser(store.db)));
    const prepared = query;
    return (await exec(store, () => prepared.get({ id, nowMs: Date.now() }))) ?? null;
  }
  const row = first(
    await exec(store, (db, t) =>
      db
        .select({ sessionId: t.sessions.id, user: t.users, expiresAt: t.sessions.expiresAt })
        .from(t.sessions)
        .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
        .where(and(eq(t.sessions.id, id), gt(t.sessions.expiresAt, new Date())))
        .limit(1),
    ),
  );
  return row ?? null;
}

/** Revokes one session; returns its id so open sockets of that session can be closed. */
export async function deleteSession(store: Store, token: string): Promise<string> {
  const id = hashToken(token);
  await exec(store, (db, t) => db.delete(t.sessions).where(eq(t.sessions.id, id)));
  return id;
}

/** Whether a session (by id, as sockets know it) still exists and has not expired. */
export async function isSessionActive(store: Store, sessionId: string): Promise<boolean> {
  const row = first(
    await exec(store, (db, t) =>
      db
        .select({ id: t.sessions.id })
        .from(t.sessions)
        .where(and(eq(t.sessions.id, sessionId), gt(t.sessions.expiresAt, new Date())))
        .limit(1),
    ),
  );
  return row !== undefined;
}

export async function deleteExpiredSessions(store: Store): Promise<number> {
  const removed = await exec(store, (db, t) => db.delete(t.sessions).where(lt(t.sessions.expiresAt, new Date())).returning({ id: t.sessions.id }));
  return removed.length;
}
