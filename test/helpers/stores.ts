import path from "node:path";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { migratePostgres } from "../../db/pg/migrate";
import { openPgStore, openSqliteStore, type Store, type YieldPolicy } from "../../db/store";
import type { DocumentStore } from "../../server/persistence/document-store";
import { openDocumentStore } from "../../server/persistence/document-stores";
import { seedDemo } from "../../server/seed/demo";
import { createPostgresDatabase, postgresAvailable } from "./postgres";
import { tempDir, type StartOptions, type TestServer } from "./server";

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

type DatabaseOf = Pick<TestServer, "databasePath" | "databaseUrl">;

/** A store over an existing database: the SQLite file, or the PostgreSQL database at the URL. */
function connectTo(target: DatabaseOf): TestStore {
  if (target.databaseUrl) {
    const store = openPgStore(target.databaseUrl, { max: 2 });
    return { store, close: () => store.db.$client.end() };
  }
  const db = openDatabase(target.databasePath);
  return { store: openSqliteStore(db), close: async () => void db.$client.close() };
}

/**
 * Runs `fn` on a store of its own over a running test server's database, to look at (or change)
 * what the server stored with the same statements on either dialect.
 */
export async function withServerStore<T>(server: DatabaseOf, fn: (store: Store) => Promise<T>): Promise<T> {
  const { store, close } = connectTo(server);
  try {
    return await fn(store);
  } finally {
    await close();
  }
}

/** The options that start a server again on the database `server` ran on. */
export function sameDatabase(server: DatabaseOf): StartOptions {
  return server.databaseUrl ? { databaseUrl: server.databaseUrl } : { databasePath: server.databasePath };
}

/** One process's view of a database: its query store and its document store. */
export interface Connection {
  store: Store;
  documents: DocumentStore;
  close(): Promise<void>;
}

/** A migrated database of one dialect with the demo desk, opened as often as the test has instances. */
export interface SeededDatabase extends DatabaseOf {
  /** A connection of its own (SQLite) or a pool of its own (PostgreSQL), as one more server process has. */
  connect(): Connection;
  dispose(): Promise<void>;
}

/** A fresh database of `dialect`, migrated and seeded with the demo team, users, briefing and fact library. */
export async function seededDatabase(dialect: Pick<Dialect, "name">): Promise<SeededDatabase> {
  let target: DatabaseOf = { databasePath: path.join(tempDir(), "seeded.db"), databaseUrl: null };
  let dispose = async () => {};
  if (dialect.name === "sqlite") {
    const db = openDatabase(target.databasePath);
    migrateDatabase(db);
    db.$client.close();
  } else {
    const pg = await createPostgresDatabase();
    await migratePostgres(pg.url);
    target = { databasePath: "", databaseUrl: pg.url };
    dispose = pg.drop;
  }
  const connect = (): Connection => {
    const { store, close } = connectTo(target);
    return { store, documents: openDocumentStore(store), close };
  };
  const seeding = connect();
  try {
    await seedDemo(seeding.store, seeding.documents);
  } finally {
    await seeding.close();
  }
  return { ...target, connect, dispose };
}
