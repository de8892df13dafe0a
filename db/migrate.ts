import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { backfillChecksums } from "./backfill-checksums";
import type { Db } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies every pending drizzle-kit migration, then the data steps SQL cannot do (checksums of rows
 * stored before they existed); safe to run at each start.
 */
export function migrateDatabase(db: Db): { snapshots: number; updates: number } {
  migrate(db, { migrationsFolder });
  return backfillChecksums(db);
}
