import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { backfillChecksums } from "./backfill-checksums";
import { DUPLICATE_FINAL_VERSIONS_SQL, DuplicateFinalVersionsError, type DuplicateRow } from "./duplicate-final-versions";
import { isFinalVersionTaken } from "./queries/versions";
import type { Db } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies every pending drizzle-kit migration, then the data steps SQL cannot do (checksums of rows
 * stored before they existed); safe to run at each start.
 */
export function migrateDatabase(db: Db): { snapshots: number; updates: number } {
  try {
    migrate(db, { migrationsFolder });
  } catch (err) {
    if (!isFinalVersionTaken(err)) throw err;
    throw new DuplicateFinalVersionsError(db.$client.prepare(DUPLICATE_FINAL_VERSIONS_SQL).all() as DuplicateRow[], err);
  }
  return backfillChecksums(db);
}
