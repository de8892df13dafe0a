import type { Db } from "./client";

/** A caller used the synchronous SQLite handle (`context.db`) on a server that runs on PostgreSQL. */
export class SqliteHandleOnPostgresError extends Error {
  constructor(readonly used: string) {
    super(`a synchronous SQLite handle was used while DATABASE_URL selects PostgreSQL (called: db.${used}); convert the caller to the async query layer (context.store)`);
    this.name = "SqliteHandleOnPostgresError";
  }
}

/**
 * What `context.db` is on PostgreSQL while callers are still being converted (ADR 0111): every use
 * throws SqliteHandleOnPostgresError naming what was called, so a remaining caller fails loudly at
 * its first use instead of writing to a SQLite file nobody reads. Symbol keys and `then` answer
 * undefined: inspecting the value or resolving a promise with it is not a use.
 */
export function sqliteHandleOnPostgres(): Db {
  return new Proxy(Object.create(null) as object, {
    get(_target, prop) {
      if (typeof prop === "symbol" || prop === "then") return undefined;
      throw new SqliteHandleOnPostgresError(prop);
    },
    set(_target, prop) {
      throw new SqliteHandleOnPostgresError(String(prop));
    },
    has(_target, prop) {
      throw new SqliteHandleOnPostgresError(String(prop));
    },
  }) as Db;
}
