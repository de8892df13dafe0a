import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { users, type User } from "../schema";

/** Caret colours, readable on white, assigned round-robin by the server. */
export const USER_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#ff7f0e", "#17becf", "#7f7f00", "#3949ab"];

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function getUserByEmail(db: Db, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, normalizeEmail(email))).get();
}

export function getUserById(db: Db, id: string): User | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function createUser(
  db: Db,
  input: { email: string; name: string; passwordHash: string; isDemo?: boolean; id?: string },
): User {
  const { count } = db.select({ count: sql<number>`count(*)` }).from(users).get()!;
  return db
    .insert(users)
    .values({
      id: input.id ?? newId(),
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      passwordHash: input.passwordHash,
      color: USER_COLORS[count % USER_COLORS.length],
      isDemo: input.isDemo ?? false,
      createdAt: new Date(),
    })
    .returning()
    .get();
}
