// Scenario 17 of `npm run bench`: the cold join of a briefing with 100,000 edits from PostgreSQL
// against the same from SQLite, in the same run. The bench starts its own PostgreSQL (postgres.ts);
// each history is written once through a server on each database, then every run starts a fresh
// server of ours on each (order alternating) and times cold joins: no room loaded, a new client's
// sync from nothing to the full state.
import { noteLine, machineNote, repeat, type BenchContext, type Scenario } from "./harness";
import { fmtSpread, type Measured, type Order, type Repeated } from "./method";
import { startBenchPostgres, preparePostgresDatabase, storedDocumentPg } from "./postgres";
import { storedDocument, type StoredCounts } from "./fixtures";
import { fmtMs, ratio, type Row } from "./report";
import { awaitCompactedAndUnloaded, serverIdle, writeHistory, type StoredReader } from "./scenarios";
import { cpuMarkOf, type Side } from "./sides";
import { metricValue } from "../../test/helpers/yclient";
import { METRICS_TOKEN, cpuSecondsSince } from "./processes";
import { median, percentile, sleep } from "./util";

type Dialect = "pg" | "sqlite";
const LABEL: Record<Dialect, string> = { pg: "PostgreSQL", sqlite: "SQLite" };

interface Database {
  start(): Promise<Side>;
  stored: StoredReader;
}

interface History {
  name: string;
  edits: number;
  randomPositions: boolean;
}

interface ColdJoin {
  ms: number;
  /** The server's own figure: storage read plus applying it to a new Y.Doc (summit_collab_load_seconds). */
  loadMs: number;
  cpuMs: number;
  digest: string;
}

/** Sum of the server's room-load histogram, in ms. */
async function loadSumMs(side: Side): Promise<number> {
  return (await metricValue(side.server.url, METRICS_TOKEN, "summit_collab_load_seconds_sum")) * 1000;
}

/** Polls until the server holds no room (the last join's room unloaded), at most 30 s. */
async function noRooms(side: Side): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await side.memory()).rooms > 0) {
    if (Date.now() > deadline) throw new Error(`${side.kind}: a room stayed loaded 30 s after its last client left`);
    await sleep(100);
  }
}

/**
 * `joins` cold joins of `room` one after another, each once the previous room has unloaded and the
 * server is idle; one join before them is not counted (the process's first load of a document).
 */
async function coldJoins(side: Side, ctx: BenchContext, room: string, joins: number): Promise<ColdJoin[]> {
  const out: ColdJoin[] = [];
  for (let i = 0; i <= joins; i++) {
    await noRooms(side);
    await serverIdle(side);
    const load0 = await loadSumMs(side);
    const cpu0 = cpuMarkOf(side);
    const joined = await ctx.joiner.call<{ runs: { ms: number; digest: string }[] }>("join", { ...side.target(room, "viewer"), repeats: 1, pauseMs: 0 }, 60_000);
    const cpuMs = cpuSecondsSince(cpu0) * 1000;
    const loadMs = (await loadSumMs(side)) - load0;
    if (i > 0) out.push({ ms: joined.runs[0].ms, loadMs, cpuMs, digest: joined.runs[0].digest });
  }
  return out;
}

/** A figure both databases have: PostgreSQL in the first column, SQLite in the second, the ratio PostgreSQL / SQLite. */
function dialectLine(r: Repeated, scenario: string, metric: string, key: string, fmt: (v: number) => string): Row {
  const p = r.stats[`pg.${key}`];
  const s = r.stats[`sqlite.${key}`];
  return {
    scenario,
    metric: `${metric} (PostgreSQL | SQLite)`,
    ours: `PostgreSQL ${fmtSpread(p, fmt)}`,
    reference: `SQLite ${fmtSpread(s, fmt)}`,
    ratio: ratio(p?.median, s?.median),
    versusReference: "—",
    target: "—",
    verdict: "info",
    machine: machineNote(r),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

export const postgresColdJoinScenario: Scenario = {
  numbers: [17],
  name: "17. Cold join from PostgreSQL vs SQLite",
  async run(ctx) {
    const scenario = "17. Cold join, PostgreSQL vs SQLite";
    const pg = await startBenchPostgres();
    if (!pg) {
      ctx.rows.push({ scenario, metric: "skipped", ours: "PostgreSQL is not installed", reference: "—", ratio: "—", versusReference: "—", target: "—", verdict: "info", machine: "—" });
      return;
    }
    try {
      ctx.log(`PostgreSQL ${pg.version} started for the bench; migrating, seeding, adding the history briefings`);
      await preparePostgresDatabase(pg.url, ctx.fixtures);
      const databases: Record<Dialect, Database> = {
        sqlite: { start: () => ctx.ours(), stored: (id) => storedDocument(ctx.databasePath, id) },
        pg: { start: () => ctx.ours({ DATABASE_URL: pg.url }), stored: (id) => storedDocumentPg(pg.url, id) },
      };
      const histories: History[] = [
        { name: "typing", edits: ctx.sizes.history.edits, randomPositions: false },
        { name: "random-position", edits: ctx.sizes.scale.historyEdits, randomPositions: true },
      ];
      const joins = ctx.sizes.postgres.joins;

      // Each history written once through a server on each database, then compacted and unloaded.
      const stored: Record<string, Record<Dialect, StoredCounts>> = {};
      const digests: Record<string, string> = {};
      const rooms: Record<string, string> = {};
      for (const dialect of ["sqlite", "pg"] as const) {
        const side = await databases[dialect].start();
        try {
          for (const h of histories) {
            ctx.log(`writing ${h.edits} ${h.name} edits through our server on ${LABEL[dialect]}`);
            const { room, sent } = await writeHistory(side, ctx.writer, ctx.receivers[0], ctx.fixtures, h);
            await Promise.all([ctx.writer.call("destroy", { key: "hist-w" }), ctx.receivers[0].call("destroy", { key: "hist-c" })]);
            (stored[h.name] ??= {} as Record<Dialect, StoredCounts>)[dialect] = await awaitCompactedAndUnloaded(side, databases[dialect].stored, room);
            digests[h.name] = sent.digest;
            rooms[h.name] = room;
          }
        } finally {
          await side.stop();
        }
      }

      for (const h of histories) {
        const all: Record<Dialect, ColdJoin[]> = { pg: [], sqlite: [] };
        ctx.log(`cold joins of the ${h.name} history: ${joins} per server, PostgreSQL vs SQLite (${ctx.method.repeat} runs)`);
        const r = await repeat(ctx, `cold join from PostgreSQL, ${h.name}`, async (order: Order) => {
          const values: Measured = {};
          for (const dialect of order === "ours first" ? (["pg", "sqlite"] as const) : (["sqlite", "pg"] as const)) {
            const side = await databases[dialect].start();
            try {
              const js = await coldJoins(side, ctx, rooms[h.name], joins);
              all[dialect].push(...js);
              const ms = js.map((j) => j.ms);
              Object.assign(values, {
                [`${dialect}.p50`]: percentile(ms, 50),
                [`${dialect}.p95`]: percentile(ms, 95),
                [`${dialect}.load`]: median(js.map((j) => j.loadMs)),
                [`${dialect}.cpu`]: median(js.map((j) => j.cpuMs)),
                [`${dialect}.same`]: js.every((j) => j.digest === digests[h.name]) ? 1 : 0,
              });
            } finally {
              await side.stop();
            }
          }
          return values;
        });
        const s = `${scenario}, ${h.edits.toLocaleString("en")} ${h.name} edits`;
        const pgStored = stored[h.name].pg as StoredCounts & { snapshotStoredBytes?: number };
        const sqliteStored = stored[h.name].sqlite;
        const same = (d: Dialect) => r.runs.every((x) => x.values[`${d}.same`] === 1);
        ctx.rows.push(
          dialectLine(r, s, `cold join, full sync p50 of ${joins}`, "p50", (v) => fmtMs(v, 1)),
          dialectLine(r, s, `cold join, full sync p95 of ${joins}`, "p95", (v) => fmtMs(v, 1)),
          dialectLine(r, s, "server's time to load the room (read + apply), median", "load", (v) => fmtMs(v, 1)),
          dialectLine(r, s, "server CPU per cold join, median", "cpu", (v) => fmtMs(v, 0)),
          {
            scenario: s,
            metric: "stored: snapshot, update-log rows (PostgreSQL | SQLite)",
            ours: `PostgreSQL ${kb(pgStored.snapshotBytes)} (${kb(pgStored.snapshotStoredBytes ?? NaN)} in the table), ${pgStored.logRows} rows`,
            reference: `SQLite ${kb(sqliteStored.snapshotBytes)}, ${sqliteStored.logRows} rows`,
            ratio: ratio(pgStored.snapshotBytes, sqliteStored.snapshotBytes),
            versusReference: "—",
            target: "—",
            verdict: "info",
            machine: "—",
          },
          {
            scenario: s,
            metric: "joined content = writer's (PostgreSQL | SQLite)",
            ours: `PostgreSQL ${same("pg") ? "yes" : "NO"}`,
            reference: `SQLite ${same("sqlite") ? "yes" : "NO"}`,
            ratio: "—",
            versusReference: "—",
            target: "equal",
            verdict: same("pg") && same("sqlite") ? "pass" : "FAIL",
            machine: machineNote(r),
          },
          noteLine(r, s)
        );
        const pooled = (d: Dialect, p: number) => fmtMs(percentile(all[d].map((j) => j.ms), p), 1);
        ctx.details.push(
          `Cold join from PostgreSQL, ${h.name} history: all ${all.pg.length} cold joins per database pooled, p50 / p95 PostgreSQL ${pooled("pg", 50)} / ${pooled("pg", 95)}, SQLite ${pooled("sqlite", 50)} / ${pooled("sqlite", 95)}; per run p50 (ms) PostgreSQL ${r.runs.map((x) => x.values["pg.p50"].toFixed(1)).join(", ")}, SQLite ${r.runs.map((x) => x.values["sqlite.p50"].toFixed(1)).join(", ")}.`
        );
      }
      ctx.details.push(
        `Cold join from PostgreSQL (scenario 17): PostgreSQL ${pg.version}, started by the bench (initdb in a temporary directory, loopback, default fsync and commit settings, trust authentication), the server's pool of 10 connections; SQLite is the bench database file. Each history is the generator of scenario 3 (typing) or 13 (random positions), written once through our server on each database, compacted and unloaded; each run starts a fresh server on each database (PostgreSQL first in even runs) and, after one join that is not counted, makes ${joins} cold joins, each after the previous room unloaded and the server idled. Sync time is from creating the provider (the WebSocket upgrade with its session and membership checks) to its sync event; the load time is the server's summit_collab_load_seconds (storage read, checksum verification, Yjs applying the stored state).`
      );
    } finally {
      pg.stop();
    }
  },
};
