// The benchmark's own PostgreSQL: a private cluster in a temporary directory on a free loopback port
// (as the tests start theirs, test/helpers/postgres.ts, but with PostgreSQL's default fsync and
// commit settings, since it is compared with a durable SQLite file), stopped when the run ends.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migratePostgres } from "../../db/pg/migrate";
import { openPgStore } from "../../db/store";
import { seedDemo } from "../../server/seed/demo";
import { createPgDocumentStore } from "../../server/persistence/pg-document-store";
import { postgresBinDir, startPostgresCluster, stopPostgresCluster } from "../../test/helpers/postgres";
import { createBenchBriefings, historyBriefings, type Fixtures, type StoredCounts } from "./fixtures";

export interface BenchPostgres {
  /** postgres://… of the bench database. */
  url: string;
  /** The server's version, for the report. */
  version: string;
  stop(): void;
}

/**
 * Starts the cluster and creates an empty `bench` database; null (after a loud notice on stderr)
 * when PostgreSQL is not installed, so the scenarios that need it are skipped, not failed.
 */
export async function startBenchPostgres(): Promise<BenchPostgres | null> {
  if (!postgresBinDir()) {
    process.stderr.write(
      "\n*** SKIPPING THE POSTGRESQL SCENARIO *** initdb, pg_ctl and postgres were not found on PATH or in /usr/lib/postgresql/*/bin (apt-get install postgresql).\n\n"
    );
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summit-bench-pg-"));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopPostgresCluster(dir);
  };
  process.once("exit", stop);
  try {
    const base = await startPostgresCluster(dir, { durable: true });
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    try {
      await admin.query("create database bench");
      const version = (await admin.query<{ server_version: string }>("show server_version")).rows[0].server_version;
      return { url: `${base}/bench`, version, stop };
    } finally {
      await admin.end();
    }
  } catch (err) {
    stop();
    throw err;
  }
}

/**
 * Makes the empty database ready the way the server would (migrations, demo seed) and adds the
 * long-history briefings with their first body, as prepareDatabase does on SQLite.
 */
export async function preparePostgresDatabase(url: string, fixtures: Fixtures): Promise<void> {
  await migratePostgres(url);
  const store = openPgStore(url, { max: 2 });
  try {
    const documents = createPgDocumentStore(store.db);
    await seedDemo(store, documents);
    await createBenchBriefings(store, documents, historyBriefings(fixtures.templateState));
  } finally {
    await store.db.$client.end();
  }
}

/** As storedDocument on SQLite, plus the bytes the snapshot takes in the table (TOAST may compress it). */
export async function storedDocumentPg(url: string, briefingId: string): Promise<StoredCounts & { snapshotStoredBytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const snap = await client.query<{ n: number; stored: number }>(
      "select octet_length(state) as n, pg_column_size(state) as stored from document_snapshots where briefing_id = $1",
      [briefingId]
    );
    const log = await client.query<{ n: string }>("select count(*) as n from document_updates where briefing_id = $1", [briefingId]);
    return { snapshotBytes: snap.rows[0]?.n ?? 0, snapshotStoredBytes: snap.rows[0]?.stored ?? 0, logRows: Number(log.rows[0].n) };
  } finally {
    await client.end();
  }
}
