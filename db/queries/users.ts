import { count, eq } from "drizzle-orm";
import { newId } from "../ids";
import type { User } from "../schema";
import { exec, first, withTransaction, type Store } from "../store";
import { isUniqueViolation } from "../unique-violation";

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

/** An account with this email exists: the insert broke the unique index on `users.email`. */
export class EmailTakenError extends Error {
  readonly code = "email_taken";
  constructor() {
    super("An account with this email already exists.");
    this.name = "EmailTakenError";
  }
}

export type NewUser = { email: string; name: string; passwordHash: string; isDemo?: boolean; id?: string };

/** Creates an account; throws EmailTakenError when the email has one (however the race was run). */
export async function createUser(store: Store, input: NewUser): Promise<User> {
  // count() maps to a number on both dialects (PostgreSQL's count(*) is a bigint, sent as text).
  const [{ n }] = await exec(store, (db, t) => db.select({ n: count() }).from(t.users));
  try {
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
  } catch (err) {
    if (isUniqueViolation(err, { sqlite: "users.email", pg: "users_email_unique" })) throw new EmailTakenError();
    throw err;
  }
}

/**
 * Sign-up: the account, or null when the email already has one. The lookup answers the common
 * case; two sign-ups for one email at once both pass it on PostgreSQL (read committed), and the
 * second insert breaks the unique index, which is the same answer, not a failure.
 */
export async function createUserIfEmailFree(store: Store, input: NewUser): Promise<User | null> {
  try {
    return await withTransaction(store, async (tx) => ((await getUserByEmail(tx, input.email)) ? null : createUser(tx, input)));
  } catch (err) {
    // Caught outside the transaction: on PostgreSQL the failed insert has aborted it.
    if (err instanceof EmailTakenError) return null;
    throw err;
  }
}
