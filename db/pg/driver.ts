import type pg from "pg";
import type { drizzle } from "drizzle-orm/node-postgres";
import type { migrate } from "drizzle-orm/node-postgres/migrator";

/**
 * node-postgres and Drizzle's driver over it, loaded only by a process that uses PostgreSQL
 * (docs/decisions/0124). A server on SQLite never evaluates them: every value import of `pg` and
 * `drizzle-orm/node-postgres` goes through `loadPgDriver()`, whose dynamic `import()`s the
 * compiled bundle keeps as they are (a static import of an external package is hoisted to the top
 * of the one bundle and evaluated at start, whatever imports it). Type imports cost nothing.
 */
export interface PgDriver {
  Pool: typeof pg.Pool;
  drizzle: typeof drizzle;
  migrate: typeof migrate;
}

let driver: PgDriver | undefined;
let loading: Promise<PgDriver> | undefined;

/** Loads the driver once; later calls return the same. Opening PostgreSQL awaits it first. */
export function loadPgDriver(): Promise<PgDriver> {
  loading ??= Promise.all([import("pg"), import("drizzle-orm/node-postgres"), import("drizzle-orm/node-postgres/migrator")]).then(
    ([pgModule, nodePostgres, migrator]) => (driver = { Pool: pgModule.default.Pool, drizzle: nodePostgres.drizzle, migrate: migrator.migrate }),
  );
  return loading;
}

/** The driver `loadPgDriver()` loaded; throws when nothing in this process awaited it yet. */
export function pgDriver(): PgDriver {
  if (!driver) throw new PgDriverNotLoadedError();
  return driver;
}

export class PgDriverNotLoadedError extends Error {
  constructor() {
    super("The PostgreSQL driver is not loaded: await loadPgDriver() before opening a PostgreSQL pool.");
    this.name = "PgDriverNotLoadedError";
  }
}
