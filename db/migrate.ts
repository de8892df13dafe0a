import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Logger } from "../server/logger";
import { backfillChecksums } from "./backfill-checksums";
import type { Db } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies every pending drizzle-kit migration, then the data steps SQL cannot do (checksums of rows
 * stored before they existed); safe to run at each start.
 */
export function migrateDatabase(db: Db, logger?: Logger): void {
  migrate(db, { migrationsFolder });
  const filled = backfillChecksums(db);
  if (filled.snapshots + filled.updates > 0) {
    logger?.info("db", "stored document checksums computed", { snapshots: filled.snapshots, updates: filled.updates });
  }
}
