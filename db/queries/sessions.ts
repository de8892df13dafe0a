import crypto from "node:crypto";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { sessions, users, type User } from "../schema";

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
export function createSession(db: Db, userId: string, ttlMs: number): { token: string; sessionId: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = Date.now();
  const sessionId = hashToken(token);
  db.insert(sessions)
    .values({ id: sessionId, userId, createdAt: new Date(now), expiresAt: new Date(now + ttlMs) })
    .run();
  return { token, sessionId };
}

function prepareSessionUser(db: Db) {
  return db
    .select({ sessionId: sessions.id, user: users, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("nowMs"))))
    .prepare();
}

// Every request and socket upgrade looks its session up: compiled once per database, not per call.
const sessionUserQueries = new WeakMap<Db, ReturnType<typeof prepareSessionUser>>();

export function getSessionUser(db: Db, token: string): SessionUser | null {
  let query = sessionUserQueries.get(db);
  if (!query) sessionUserQueries.set(db, (query = prepareSessionUser(db)));
  return query.get({ id: hashToken(token), nowMs: Date.now() }) ?? null;
}

/** Revokes one session; returns its id so open sockets of that session can be closed. */
export function deleteSession(db: Db, token: string): string {
  const id = hashToken(token);
  db.delete(sessions).where(eq(sessions.id, id)).run();
  return id;
}

/** Whether a session (by id, as sockets know it) still exists and has not expired. */
export function isSessionActive(db: Db, sessionId: string): boolean {
  const row = db.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date()))).get();
  return row !== undefined;
}

export function deleteExpiredSessions(db: Db): number {
  return db.delete(sessions).where(lt(sessions.expiresAt, new Date())).run().changes;
}
