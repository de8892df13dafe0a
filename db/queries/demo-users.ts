import { and, eq } from "drizzle-orm";
import type { User } from "../schema";
import { exec, first, type Store } from "../store";

/** The demo accounts with their roles, for the login page's one-click sign-in (one row per membership). */
export async function listDemoUsers(store: Store) {
  return exec(store, (db, t) =>
    db
      .select({ id: t.users.id, name: t.users.name, email: t.users.email, role: t.memberships.role })
      .from(t.users)
      .leftJoin(t.memberships, eq(t.memberships.userId, t.users.id))
      .where(eq(t.users.isDemo, true)),
  );
}

/** A demo account by id; undefined for any other account, so one-click sign-in never reaches a real one. */
export async function getDemoUser(store: Store, userId: string): Promise<User | undefined> {
  return first(await exec(store, (db, t) => db.select().from(t.users).where(and(eq(t.users.id, userId), eq(t.users.isDemo, true))).limit(1)));
}
