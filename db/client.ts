import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens one connection for the process. The server passes it to Remix through the load context,
 * so app code never opens a second one.
 */
export function openDatabase(databasePath: string): Db {
  if (databasePath !== ":memory:") fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const sqlite = new Database(databasePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // WAL + NORMAL is durable across process crashes (kill -9); only an OS crash can lose the last commit.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  // Every transaction takes the write lock when it begins (BEGIN IMMEDIATE). The projection thread
  // writes to the same file from its own connection; a deferred transaction that reads and then
  // writes fails at once with SQLITE_BUSY when that thread committed in between (busy_timeout does
  // not apply to a stale snapshot), where an immediate one waits its turn.
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn, config) => transaction(fn, { behavior: "immediate", ...config })) as typeof db.transaction;
  return db;
}

/**
 * A better-sqlite3 transaction function that begins IMMEDIATE, for every native transaction that
 * writes. A deferred one that reads first takes only a read snapshot; when another connection (the
 * projection or history thread) holds the write lock at its first write, SQLite answers SQLITE_BUSY
 * at once without calling the busy handler, and busy_timeout never applies. IMMEDIATE takes the
 * write lock at BEGIN, where busy_timeout does apply, so the transaction waits its turn.
 */
export function writeTransaction<A extends unknown[], R>(sqlite: Database.Database, fn: (...args: A) => R): (...args: A) => R {
  return sqlite.transaction(fn).immediate;
}

export { schema };
