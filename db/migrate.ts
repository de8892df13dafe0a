import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Db } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** Applies every pending drizzle-kit migration; safe to run at each start. */
export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder });
}
