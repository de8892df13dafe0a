import { openDatabase, type Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { loadPgDriver } from "../db/pg/driver";
import { migratePostgresDb } from "../db/pg/migrate";
import { sqliteHandleOnPostgres } from "../db/sqlite-handle-on-postgres";
import { openPgStore, openSqliteStore, type Store } from "../db/store";
import type { Config } from "./config";
import type { Logger } from "./logger";

/** The server's database, opened and migrated. */
export interface ServerDatabase {
  store: Store;
  /**
   * The synchronous SQLite handle for callers not converted to `store` yet. On PostgreSQL a
   * stand-in whose every use throws (db/sqlite-handle-on-postgres.ts).
   */
  db: Db;
  /** For the log: the SQLite file, or PostgreSQL's host, port and database, never the credentials. */
  label: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL set: a pool on PostgreSQL and its migrations, applied under an advisory lock so
 * instances starting together migrate once (db/pg/migrate.ts). Unset: the SQLite file, its
 * migrations and the checksum backfill, which only SQLite files from before checksums need
 * (PostgreSQL databases are written by this code or by the copy, which keeps the checksums).
 */
export async function openServerDatabase(config: Config, logger: Logger): Promise<ServerDatabase> {
  if (config.DATABASE_URL) {
    // Loaded here only: a server on SQLite never evaluates the PostgreSQL driver (ADR 0124).
    await loadPgDriver();
    const store = openPgStore(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
    try {
      await migratePostgresDb(store.db);
    } catch (err) {
      await store.db.$client.end().catch(() => {});
      throw err;
    }
    const label = postgresLabel(config.DATABASE_URL);
    logger.info("db", "PostgreSQL migrated", { database: label });
    return { store, db: sqliteHandleOnPostgres(), label, close: () => store.db.$client.end() };
  }
  const db = openDatabase(config.databasePath);
  // A transaction body that waits on I/O is a bug: loud outside production, logged in it (ADR 0114).
  const store = openSqliteStore(db, {
    onYield: config.NODE_ENV === "production" ? (err) => logger.error("a transaction body yielded to the event loop", err) : "throw",
  });
  const filled = migrateDatabase(db);
  if (filled.snapshots + filled.updates > 0) logger.info("db", "stored document checksums computed", filled);
  return {
    store,
    db,
    label: config.databasePath,
    close: async () => {
      db.$client.close();
    },
  };
}

/** `postgresql://host:port/database`: what a log line may say about a DATABASE_URL. */
export function postgresLabel(url: string): string {
  const u = new URL(url);
  return `postgresql://${u.host}${u.pathname}`;
}
