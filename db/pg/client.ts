import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { pgDriver } from "./driver";
import * as pgSchema from "./schema";

export type PgDb = NodePgDatabase<typeof pgSchema> & { $client: pg.Pool };

export interface PgPoolOptions {
  /** @default 10 */
  max?: number;
  /** What the server shows for these connections (pg_stat_activity.application_name), e.g. which thread holds them. */
  applicationName?: string;
}

/**
 * A pool of connections to the PostgreSQL database at `url` (postgres://…), through Drizzle's
 * node-postgres driver, which the process must have loaded (`await loadPgDriver()`, ./driver.ts).
 * The caller ends it with `db.$client.end()`.
 */
export function openPostgres(url: string, opts: PgPoolOptions = {}): PgDb {
  const { Pool, drizzle } = pgDriver();
  const pool = new Pool({ connectionString: url, max: opts.max ?? 10, application_name: opts.applicationName });
  // An idle connection that the server drops must not crash the process with an unhandled 'error'.
  pool.on("error", () => {});
  return drizzle(pool, { schema: pgSchema }) as PgDb;
}

export { pgSchema };
