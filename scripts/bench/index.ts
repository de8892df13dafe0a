// `npm run bench [-- --quick] [-- --write] [-- --only=11,12] [-- --repeat=3] [-- --busy-cores=0.2]`: builds and starts our real server and the reference
// y-websocket server (@y/websocket-server 0.1.1) side by side, drives both with the same stock
// WebsocketProvider clients in separate client processes, prints a table against the targets in
// DESIGN.md and (full run, or --write) writes docs/benchmarks.md. Every scenario runs by the
// repeated method (method.ts, harness.ts; ADRs 0007 and 0008). A scenario is a module exporting a
// `Scenario`, listed once in SCENARIOS below. Every loop is bounded in count and time, everything
// listens on 127.0.0.1, and a watchdog ends the run if it overruns.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareDatabase } from "./fixtures";
import { ROOT, buildApp, killChildren, startClients } from "./processes";
import { RECEIVERS_PER_PROCESS } from "./scenarios";
import { loadAverage, textTable, writeReport, type Row } from "./report";
import { startOurs, startReference } from "./sides";
import { nowMs } from "./util";
import { sizesFor } from "./sizes";
import type { BenchContext, Scenario } from "./harness";
import { churnScenario, fanoutScenario, floodScenario, historyScenario, typistsScenario } from "./run-live";
import { durabilityScenario, editorPageScenario, importScenario, pdfScenario, projectionScenario } from "./run-ours";
import { archiveScenario, randomHistoryScenario, startAndManyScenario } from "./run-scale";
import { suggestionsScenario } from "./scenario-suggestions";
import { versionHistoryScenario } from "./scenario-history";
import { postgresColdJoinScenario } from "./scenario-postgres";

/** Every scenario, in the order a run takes them (each by the repeated method, fresh servers per run); one line each. */
const SCENARIOS: Scenario[] = [
  fanoutScenario,
  typistsScenario,
  historyScenario,
  churnScenario,
  floodScenario,
  pdfScenario,
  editorPageScenario,
  projectionScenario,
  importScenario,
  durabilityScenario,
  startAndManyScenario,
  randomHistoryScenario,
  archiveScenario,
  suggestionsScenario,
  versionHistoryScenario,
  postgresColdJoinScenario,
];

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const only = argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",")
  .map(Number);
const budgetArg = Number(argv.find((a) => a.startsWith("--budget="))?.slice(9));
/** Runs per scenario of the repeated method; busy runs are taken again up to as many times. */
const REPEAT = Math.max(1, Number(argv.find((a) => a.startsWith("--repeat="))?.slice(9)) || 3);
/** Others' CPU, in cores, above which a run counts as taken on a busy machine. */
const BUSY_CORES = Number(argv.find((a) => a.startsWith("--busy-cores="))?.slice(13)) || 0.2;
const writeDocs = (argv.includes("--write") || !quick) && !only;
const selected = (s: Scenario) => !only || s.numbers.some((n) => only.includes(n));

const SIZES = sizesFor(quick);

const started = new Date();
const t0 = nowMs();
const loadBefore = loadAverage();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "summit-bench-"));
const databasePath = path.join(work, "bench.db");
const logOf = (name: string) => path.join(work, `${name}.log`);
const rows: Row[] = [];
const details: string[] = [];

let printed = 0;
function log(message: string): void {
  // Rows finished since the last message, so a long run shows progress.
  if (rows.length > printed) console.log(textTable(rows.slice(printed)).replace(/^/gm, "    "));
  printed = rows.length;
  console.log(`[bench ${((nowMs() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

function cleanup(): void {
  killChildren();
}
process.on("exit", () => {
  cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
// The sizes' budget is for 3 runs per scenario; more runs (and busy reruns) get their share.
const budgetMs = budgetArg > 0 ? budgetArg * 1000 : SIZES.budgetMs * Math.max(1, (2 * REPEAT) / 3);
const watchdog = setTimeout(() => {
  console.error(`bench: over the time budget (${budgetMs / 1000} s); stopping. Logs were in ${work}`);
  process.exit(2);
}, budgetMs);
watchdog.unref();

/** Runs one scenario; an error becomes a failed row (with the message) and the run goes on. */
async function guard(scenario: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`bench: ${scenario} failed:`, err);
    rows.push({
      scenario,
      metric: "error",
      ours: message.split("\n")[0].slice(0, 120),
      reference: "—",
      ratio: "—",
      versusReference: "—",
      target: "runs",
      verdict: "FAIL",
      machine: "—",
    });
  }
}

async function main(): Promise<void> {
  log(`mode: ${quick ? "quick (smoke sizes)" : "full"}; load average ${loadBefore}; work dir ${work}`);
  log("building the app into .build-bench");
  buildApp();
  log("preparing the database (migrate, demo seed, bench briefings)");
  const fixtures = await prepareDatabase(databasePath, SIZES.churn.briefings);

  const receiverProcesses = Math.ceil(Math.max(...SIZES.fanoutClients) / RECEIVERS_PER_PROCESS);
  log(`starting ${receiverProcesses + 2} client processes`);
  const [writer, joiner, ...receivers] = await startClients("client", receiverProcesses + 2);
  const ctx: BenchContext = {
    quick,
    sizes: SIZES,
    method: { repeat: REPEAT, busyCores: BUSY_CORES },
    rows,
    details,
    fixtures,
    databasePath,
    writer,
    joiner,
    receivers,
    ours: (env) => startOurs(databasePath, logOf("ours"), env),
    reference: () => startReference(logOf("reference")),
    log,
  };
  for (const scenario of SCENARIOS.filter(selected)) await guard(scenario.name, () => scenario.run(ctx));

  // Report ---------------------------------------------------------------------------------------------
  const loadAfter = loadAverage();
  printed = rows.length;
  console.log("\n" + textTable(rows) + "\n");
  for (const d of details) console.log(`- ${d}`);
  console.log(`\nLoad average before: ${loadBefore}; after: ${loadAfter}`);
  if (writeDocs) {
    const file = path.join(ROOT, "docs/benchmarks.md");
    writeReport(file, {
      command: quick ? "npm run bench -- --quick --write" : "npm run bench",
      started,
      durationS: (nowMs() - t0) / 1000,
      loadBefore,
      loadAfter,
      rows,
      details,
      method: METHOD,
    });
    log(`wrote ${path.relative(ROOT, file)}`);
  }
  const failed = rows.filter((r) => r.verdict === "FAIL").length;
  const slower = rows.filter((r) => r.versusReference === "FAIL").length;
  const busy = rows.filter((r) => r.machine?.startsWith("BUSY")).length;
  log(
    `${failed === 0 ? "all targets met" : `${failed} target(s) missed`}; ${slower} line(s) slower than the reference; ${busy} line(s) from busy runs; ${((nowMs() - t0) / 1000).toFixed(0)} s`
  );
}

const METHOD = [
  "Repeated method (every scenario; scripts/bench/method.ts and harness.ts, ADRs 0007 and 0008): each scenario runs `--repeat=N` times (default 3); run i starts with ours when i is even and with the reference when odd, and every run starts its servers afresh (ours on the same database file; ours-only scenarios start only ours). During each run the CPU used by other processes is read as the machine's busy jiffies in /proc/stat minus the utime+stime (/proc/<pid>/stat) of the benchmark process and all its descendants (servers, render processes, client processes). A run in which others used more than `--busy-cores` (default 0.2) of a core is marked busy and taken again, at most N more runs in all. Each line gives the median and the spread (min–max) of the kept runs; `≤ 1.0× ref` says whether ours' median is no higher than the reference's in the same runs (— where the reference has no such figure or lower is not better), `Result` whether the DESIGN.md target is met, and `Machine` whether the line's runs were quiet or how many were busy.",
  "Trimmed so that three runs of everything fit in 22 minutes on two quiet cores (the single-run sizes before in brackets): fan-out 200 measured edits after 20 warm-up (300 after 30); 5 joins per history run (9); 10 s idle before the memory readings of scenarios 4, 11 and 12 (15 s); 150 live edits per probe during exports and projection (200); 6 in-process PDF and Word renders (10); 4 warm Word imports (5). The cold joins of scenarios 3 and 13 wait until the server has used under 20 ms of CPU in 300 ms (the unload's deferred projection and history version done) so their server CPU is the join's own.",
  "Scale: RSS is VmRSS of the server process from /proc, read the settle time after start (the bench has signed in as the four demo users; ours' projection thread may still be running the start-up backfill) and after the many-briefings run and an idle pause. Many at once: see Details. Projection vs archive runs in the benchmark process on its own database (no server), so it has no reference figure.",
  "Servers: ours is the compiled server (`npm run build` into `.build-bench`, one bundle of server and Remix app) run with plain `node` in production mode ( sessions, persistence to a fresh temporary SQLite file seeded with the demo data plus the bench briefings, /metrics on, 127.0.0.1, port 0, default limits). The reference is `@y/websocket-server` 0.1.1's `setupWSConnection` wired exactly as its `src/server.js` (its own `ws` copy, no persistence) in `scripts/bench/reference-server.mjs`, which only adds port 0 and a stats URL. Both run at the same time as separate processes.",
  "Clients: stock y-websocket 3.1 `WebsocketProvider`s (ws polyfill, `disableBc`), in separate Node processes (`scripts/bench/worker.ts`): one writer process, one joiner process and receiver processes of at most 8 clients each (64 clients = 8 processes). Clients of ours sign in through the real /login form and connect with the session cookie and Origin; receivers are spread over the four demo users (roles owner, editor, commenter, viewer) so the per-user connection cap (50) is respected.",
  "Latency: the writer inserts `«n»` into the first paragraph and takes `process.hrtime` just before; each receiver takes `process.hrtime` in a `message` listener registered before the provider's, and the text observer then maps the marker to that arrival. `process.hrtime` is CLOCK_MONOTONIC, one clock for all processes on the machine. Edits are paced (interval in Details) so rounds do not queue; warm-up edits are discarded. Percentiles are over all (edit, receiver) deliveries.",
  "CPU: the server process's CPU over the measured edits, summed over its threads from their scheduler counts in nanoseconds (/proc/<pid>/task/<tid>/schedstat; utime+stime ticks when a thread came and went, ADR 0010), divided by updates delivered to receivers (the reference also echoes each update to its writer; that echo is not counted as a delivery). Peak RSS is VmHWM of the server process since it started (runs go 2 → 16 → 64, so it is that run's peak).",
  "Typists: 16 clients in 4 processes (owner and editor sessions) each make single-character edits (85% insert, 15% delete) at random positions of random paragraphs, 10–40 ms apart. Convergence is reached when every client's state vector covers the union of all typists' state vectors; the time is from the last edit sent to the last client converging. Then ours is stopped with SIGTERM and restarted on the same database and a fresh client's content and state vector are compared with the typists'.",
  "History: 100,000 keystrokes of typing (letters typed at a cursor, one in ten a backspace, one in twenty-five first moves the cursor to a random place in a random paragraph), generated once with a seeded PRNG and sent as the same updates (100 keystrokes each, about 330 updates a second) through one client to each server; ours compacts its log every 500 updates while this happens. For ours, everyone then leaves so the room stores, compacts into a snapshot and unloads (checked in the database); one cold join is measured, then a client keeps the room loaded and new clients join (median of the runs). Sync time is from creating the provider (so it includes the WebSocket upgrade and, for ours, the session check) to its `sync` event; the server's part is the time until the full state (the largest message) has arrived; bytes are all WebSocket payload bytes received until the sync event.",
  "Briefings in turn: each briefing is opened by a new client, synced, edited once and closed, one after another, from one client process. Memory is read after idling (15 s without any request, then the lowest heap of three readings a second apart; V8 collects lazily, so heap after idle can still hold garbage): ours from its own /metrics (`summit_collab_rooms`, `summit_nodejs_heap_size_used_bytes`, `summit_process_resident_memory_bytes`), the reference from `process.memoryUsage()` and its `docs` map.",
  "Editor page: GET /briefings/:id signed in (median after one warm-up). Editor JavaScript is the gzipped static-import closure of the lazily loaded `briefing-editor.client` chunk minus the modules the page loads first (entry, root and route closures from the Remix manifest).",
  "Durability: a client inserts a marker, the server is killed with SIGKILL 260 ms later, restarted on the same database, and a fresh client looks for the marker.",
  "Pending-update flood: one raw socket (signed in as the owner on ours) sends y-websocket updates of 4 KiB that each start at a clock the server does not have (a clock gap, so Yjs cannot integrate them), 2 ms apart, reconnecting whenever it is closed, while the orchestrator polls `/healthz` (the reference: `/`) back to back and the writer's live edits are timed to the receivers as in fan-out. RSS growth is VmRSS after minus before the flood.",
  "Suggestions (scenario 15): our server alone, started with COMMENT_RATE_BURST=100000 so the comment rate limit does not refuse the bench; two stock y-websocket clients in the benchmark process (an editor writes, a commenter reads); per round the editor types a word (timed to the reader), the commenter suggests replacing it over HTTP, and the editor accepts it over HTTP, timed from sending the POST to the reader seeing the replacement.",
  "PDF: the generated brief (scripts/bench/fixtures.ts, ~50 pages of headings, paragraphs, agenda topics, quotes in Turkish and Kazakh, country facts) is exported through GET /briefings/:id/export.pdf on the running server, first cold, then warm; render-process RSS is sampled from the server's child processes. Live-edit latency to 16 clients is measured with no export running and while exports run back to back.",
];

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    console.error(`Server logs: ${work}/*.log (kept)`);
    process.removeAllListeners("exit");
    cleanup();
    process.exit(1);
  }
);
