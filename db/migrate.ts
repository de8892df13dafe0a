import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { backfillChecksums } from "./backfill-checksums";
import { DUPLICATE_FINAL_VERSIONS_SQL, explainMigrationFailure } from "./duplicate-final-versions";
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
    throw explainMigrationFailure(err, () => db.$client.prepare(DUPLICATE_FINAL_VERSIONS_SQL).all() as { briefing_id: string; version: number; n: number }[]);
  }
  return backfillChecksums(db);
}
