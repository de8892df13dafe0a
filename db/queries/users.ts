import { count, eq } from "drizzle-orm";
import { newId } from "../ids";
import type { User } from "../schema";
import { exec, first, type Store } from "../store";

/** Caret colours, readable on white, assigned round-robin by the server. */
export const USER_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#ff7f0e", "#17becf", "#7f7f00", "#3949ab"];

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getUserByEmail(store: Store, email: string): Promise<User | undefined> {
  return first(await exec(store, (db, t) => db.select().from(t.users).where(eq(t.users.email, normalizeEmail(email))).limit(1)));
}

export async function getUserById(store: Store, id: string): Promise<User | undefined> {
  return first(await exec(store, (db, t) => db.select().from(t.users).where(eq(t.users.id, id)).limit(1)));
}

export async function createUser(
  store: Store,
  input: { email: string; name: string; passwordHash: string; isDemo?: boolean; id?: string },
): Promise<User> {
  // count() maps to a number on both dialects (PostgreSQL's count(*) is a bigint, sent as text).
  const [{ n }] = await exec(store, (db, t) => db.select({ n: count() }).from(t.users));
  const [user] = await exec(store, (db, t) =>
    db
      .insert(t.users)
      .values({
        id: input.id ?? newId(),
        email: normalizeEmail(input.email),
        name: input.name.trim(),
        passwordHash: input.passwordHash,
        color: USER_COLORS[n % USER_COLORS.length],
        isDemo: input.isDemo ?? false,
        createdAt: new Date(),
      })
      .returning(),
  );
  return user;
}
