import path from "node:path";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { migratePostgres } from "../../db/pg/migrate";
import { openPgStore, openSqliteStore, type Store, type YieldPolicy } from "../../db/store";
import { createPostgresDatabase, postgresAvailable } from "./postgres";
import { tempDir } from "./server";

/** One dialect's store for a test file: a fresh migrated database, and how to close it. */
export interface TestStore {
  store: Store;
  close(): Promise<void>;
}

export interface Dialect {
  name: "sqlite" | "pg";
  /** False when PostgreSQL is not installed (postgresAvailable said so loudly). */
  available: boolean;
  open(opts?: { onYield?: YieldPolicy }): Promise<TestStore>;
}

/**
 * The two dialects the query layer runs on, each a real database: a migrated SQLite file in a
 * temporary directory, and a migrated database of its own in the test PostgreSQL cluster.
 */
export function testDialects(): Dialect[] {
  const hasPostgres = postgresAvailable();
  return [
    {
      name: "sqlite",
      available: true,
      async open(opts = {}) {
        const db = openDatabase(path.join(tempDir(), "store.db"));
        migrateDatabase(db);
        return { store: openSqliteStore(db, opts), close: async () => void db.$client.close() };
      },
    },
    {
      name: "pg",
      available: hasPostgres,
      async open() {
        const pg = await createPostgresDatabase();
        await migratePostgres(pg.url);
        const store = openPgStore(pg.url, { max: 4 });
        return {
          store,
          async close() {
            if (store.dialect === "pg") await store.db.$client.end();
            await pg.drop();
          },
        };
      },
    },
  ];
}
