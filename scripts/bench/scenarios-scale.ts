// Scenarios about scale: memory after start, many briefings opened at once, and the cost of a
// projection as the archive of stored briefings grows. Each measures one run; method.ts repeats.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../../db/client";
import { openSqliteStore, withTransaction } from "../../db/store";
import { migrateDatabase } from "../../db/migrate";
import { createBriefing } from "../../db/queries/briefings";
import { DEMO_TEAM_ID, DEMO_USERS, seedDemo } from "../../server/seed/demo";
import { createSqliteDocumentStore } from "../../server/persistence/document-store";
import { writeProjection, withTurkishFolds } from "../../server/persistence/projection";
import { replaceSearchRow } from "../../server/persistence/search-rows";
import { BRIEFINGS, type Fixtures } from "./fixtures";
import { cpuSecondsSince, procStat, type ClientProcess } from "./processes";
import { cpuMarkOf, type Side } from "./sides";
import { median, nowMs, sleep } from "./util";

/** RSS of the server process (VmRSS), `settleMs` after it said it was listening and was signed in to. */
export async function rssAfterStart(side: Side, settleMs: number): Promise<number> {
  await sleep(settleMs);
  return procStat(side.server.pid).rssBytes;
}

export interface OpenManyResult {
  opened: number;
  failures: string[];
  ms: number;
  serverCpuS: number;
  /** VmRSS after the clients left and the server idled `idleMs`. */
  rssIdleBytes: number;
  rssBeforeBytes: number;
}

/**
 * `count` briefings opened at once by one client process (each synced and edited once, all open
 * together, then closed): the wall time until every one was edited, and the server's CPU for it.
 */
export async function openMany(side: Side, client: ClientProcess, fixtures: Fixtures, opts: { count: number; concurrency: number; idleMs: number }): Promise<OpenManyResult> {
  const rooms = Array.from({ length: opts.count }, (_, i) => BRIEFINGS.churn(i));
  const rssBeforeBytes = procStat(side.server.pid).rssBytes;
  const cpu0 = cpuMarkOf(side);
  const run = await client.call<{ ok: number; failures: string[]; ms: number }>(
    "openMany",
    { ...side.target("", "owner"), rooms, seedState: side.seed(fixtures.templateState), concurrency: opts.concurrency, timeoutMs: 60_000 },
    180_000
  );
  const serverCpuS = cpuSecondsSince(cpu0);
  await sleep(opts.idleMs);
  return { opened: run.ok, failures: run.failures, ms: run.ms, serverCpuS, rssIdleBytes: procStat(side.server.pid).rssBytes, rssBeforeBytes };
}

export interface ArchiveResult {
  stored: number;
  /** Median time of one projection write that rewrites the search row (text changed). */
  projectionMs: number;
  /** Median time of the look-up by the UNINDEXED briefing_id column the projection used to do. */
  scanLookupMs: number;
}

/**
 * Projection cost against the number of stored briefings, in this process on a fresh database:
 * `stored` briefings with a body text and a search row are inserted directly (one transaction),
 * then one briefing is projected `projections` times with a changed text each time.
 */
export async function projectionWithArchive(stored: number, projections: number): Promise<ArchiveResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summit-bench-archive-"));
  const db = openDatabase(path.join(dir, "archive.db"));
  try {
    migrateDatabase(db);
    await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
    const sqlite = db.$client;
    const text = sqlite.prepare("insert into briefing_texts (briefing_id, body, updated_at) values (?, ?, ?)");
    const owner = DEMO_USERS[0].id;
    const body = (i: number) => `Archived brief ${i}: Astana and Ankara agreed on transport corridors, energy and water. Yıldız met Tokayev.`;
    // The raw statements run on the same connection, inside the transaction.
    await withTransaction(openSqliteStore(db), async (store) => {
      for (let i = 0; i < stored; i++) {
        const id = `archive-${i}`;
        await createBriefing(store, DEMO_TEAM_ID, { title: `Archive ${i}`, summitName: "Archive", city: "Astana", startDate: "2025-01-01", endDate: "2025-01-02", classification: "RESTRICTED" }, owner, id);
        text.run(id, body(i), Date.now());
        replaceSearchRow(sqlite, id, `Archive ${i}`, withTurkishFolds(body(i)));
      }
    });
    const target = `archive-${Math.floor(stored / 2)}`;
    const scan = sqlite.prepare("select rowid from briefing_search where briefing_id = ?");
    const runs: number[] = [];
    const scans: number[] = [];
    // Two loops, not one: the old look-up reads the whole index, and timed between two writes it
    // left them to run on CPU caches it had just filled with that index, which made the writes'
    // cost follow the archive (2.2× at 5,000) although each is a handful of look-ups by key.
    for (let i = 0; i < projections; i++) {
      const t0 = nowMs();
      writeProjection(db, target, { quotes: [], topics: [], facts: [], text: `${body(i)} Revision ${i}.`, skipped: 0, marks: [] });
      runs.push(nowMs() - t0);
    }
    for (let i = 0; i < projections; i++) {
      const t1 = nowMs();
      scan.all(target);
      scans.push(nowMs() - t1);
    }
    return { stored, projectionMs: median(runs), scanLookupMs: median(scans) };
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
