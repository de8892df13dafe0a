import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createPostgresDatabase, postgresAvailable } from "./postgres";
import { startTestServer, tempDir, type TestServer } from "./server";

/**
 * The real server on each database it runs on: a SQLite file of its own, and a PostgreSQL database
 * of its own in the test cluster (docs/decisions/0111). A suite runs its whole `describe` over
 * `serverDialects()`, skipped where `available` is false (postgresAvailable() said so loudly).
 */

/** A row value as both dialects give it: PostgreSQL's timestamps as epoch milliseconds and int8 as numbers, like SQLite's integers. */
export type SqlRow = Record<string, unknown>;

export interface DialectServer {
  server: TestServer;
  /**
   * Reads rows from the database the server writes, on a second, read-only connection; `?`
   * placeholders on both dialects. PostgreSQL timestamps come back as epoch milliseconds and int8
   * as numbers, as SQLite stores them; jsonb comes back parsed, SQLite's JSON text as text.
   */
  sql<T = SqlRow>(query: string, params?: unknown[]): Promise<T[]>;
  /**
   * Writes to the database behind the server's back, for a state no request can make (a link
   * past its expiry). A timestamp is given as a Date, which each dialect stores in its own form.
   */
  write(query: string, params?: unknown[]): Promise<void>;
  /** Stops the server and removes its PostgreSQL database. */
  close(): Promise<void>;
}

export interface ServerDialect {
  name: "SQLite" | "PostgreSQL";
  available: boolean;
  start(opts?: { env?: Record<string, string> }): Promise<DialectServer>;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the queries tests write carry no `?` in literals). */
const numbered = (query: string) => {
  let n = 0;
  return query.replace(/\?/g, () => `$${++n}`);
};

const TIMESTAMPTZ = 1184;
const INT8 = 20;

/** pg's parsers, except timestamps and int8 read as SQLite stores them. */
const sqliteLikeTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMPTZ) {
      const toDate = pg.types.getTypeParser(oid, format) as (v: string) => Date;
      return (v: string) => toDate(v).getTime();
    }
    if (oid === INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/** A Date parameter as SQLite stores a `timestamp_ms` column (pg sends a Date as timestamptz itself). */
const sqliteParam = (v: unknown) => (v instanceof Date ? v.getTime() : v);

/** Reads from a server's SQLite file on a read-only connection of its own per query (WAL lets it beside the server's). */
export function sqliteFileSql(databasePath: string): DialectServer["sql"] {
  return async <T = SqlRow>(query: string, params: unknown[] = []) => {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(query).all(...params.map(sqliteParam)) as T[];
    } finally {
      db.close();
    }
  };
}

export function serverDialects(): ServerDialect[] {
  return [
    {
      name: "SQLite",
      available: true,
      async start(opts = {}) {
        const server = await startTestServer({ databasePath: path.join(tempDir(), "desk.db"), env: opts.env });
        return {
          server,
          sql: sqliteFileSql(server.databasePath),
          async write(query, params = []) {
            const db = new Database(server.databasePath, { fileMustExist: true });
            try {
              db.pragma("busy_timeout = 5000");
              db.prepare(query).run(...params.map(sqliteParam));
            } finally {
              db.close();
            }
          },
          async close() {
            await server.stop();
          },
        };
      },
    },
    {
      name: "PostgreSQL",
      available: postgresAvailable(),
      async start(opts = {}) {
        const database = await createPostgresDatabase();
        const server = await startTestServer({ databaseUrl: database.url, env: opts.env });
        const reader = new pg.Pool({ connectionString: database.url, max: 2, types: sqliteLikeTypes, options: "-c default_transaction_read_only=on" });
        const writer = new pg.Pool({ connectionString: database.url, max: 1, types: sqliteLikeTypes });
        return {
          server,
          async sql<T = SqlRow>(query: string, params: unknown[] = []) {
            return (await reader.query(numbered(query), params)).rows as T[];
          },
          async write(query, params = []) {
            await writer.query(numbered(query), params);
          },
          async close() {
            await Promise.all([reader.end(), writer.end()]);
            await server.stop();
            await database.drop();
          },
        };
      },
    },
  ];
}
