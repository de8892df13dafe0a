import crypto from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../client";
import { sessions, users, type User } from "../schema";

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export interface SessionUser {
  sessionId: string;
  user: User;
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

export function getSessionUser(db: Db, token: string): SessionUser | null {
  const row = db
    .select({ sessionId: sessions.id, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashToken(token)), gt(sessions.expiresAt, new Date())))
    .get();
  return row ?? null;
}

/** Revokes one session; returns its id so open sockets of that session can be closed. */
export function deleteSession(db: Db, token: string): string {
  const id = hashToken(token);
  db.delete(sessions).where(eq(sessions.id, id)).run();
  return id;
}

export function deleteExpiredSessions(db: Db): number {
  return db.delete(sessions).where(lt(sessions.expiresAt, new Date())).run().changes;
}
