// `npm run bench [-- --quick] [-- --write] [-- --only=11,12] [-- --repeat=3] [-- --busy-cores=0.2]`: builds and starts our real server and the reference
// y-websocket server (@y/websocket-server 0.1.1) side by side, drives both with the same stock
// WebsocketProvider clients in separate client processes, prints a table against the targets in
// DESIGN.md and (full run, or --write) writes docs/benchmarks.md. Every loop is bounded in count
// and time, everything listens on 127.0.0.1, and a watchdog ends the run if it overruns.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareDatabase } from "./fixtures";
import { BUILD_DIR, ROOT, buildApp, killChildren, startClients } from "./processes";
import {
  HISTORY_BATCH,
  RECEIVERS_PER_PROCESS,
  churn,
  durability,
  editorPage,
  exportOverHttp,
  fanout,
  history,
  latencyDuringExport,
  pendingFlood,
  latencyDuringProjection,
  typing,
  type FanoutResult,
} from "./scenarios";
import { fmtKB, fmtMB, fmtMs, fmtUs, loadAverage, ratio, textTable, writeReport, type Row, type Verdict } from "./report";
import { startOurs, startReference, type Side } from "./sides";
import { nowMs } from "./util";
import { docxRows } from "./docx";
import { runPdfHelper } from "./pdf-helper";
import { docxImport } from "./docx-import";
import { busyNote, fmtSpread, repeated, type Measured, type Order, type Repeated } from "./method";
import { openMany, projectionWithArchive, rssAfterStart } from "./scenarios-scale";
import { argNumber, historyScenario } from "./scenario-history";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const only = argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",")
  .map(Number);
const budgetArg = Number(argv.find((a) => a.startsWith("--budget="))?.slice(9));
/** Runs per scenario of the repeated method (scenarios 11–14); busy runs are taken again up to as many times. */
const REPEAT = Math.max(1, Number(argv.find((a) => a.startsWith("--repeat="))?.slice(9)) || 3);
/** Others' CPU, in cores, above which a run counts as taken on a busy machine. */
const BUSY_CORES = Number(argv.find((a) => a.startsWith("--busy-cores="))?.slice(13)) || 0.2;
const writeDocs = (argv.includes("--write") || !quick) && !only;
const runs = (n: number) => !only || only.includes(n);

const SIZES = quick
  ? {
      fanoutClients: [2, 16],
      fanout: { edits: 20, warmup: 5, intervalMs: 20 },
      typing: { typists: 4, edits: 20, minMs: 5, maxMs: 20 },
      history: { edits: 2_000, joins: 2 },
      churn: { briefings: 20, warmup: 3, idleMs: 1_500 },
      pdf: { warm: 1, clients: 4, probe: { edits: 15, warmup: 3, intervalMs: 20 } },
      pageRuns: 3,
      pendingFlood: { clients: 4, updates: 300, updateBytes: 4096, gapMs: 2, edits: 20, intervalMs: 25 },
      budgetMs: 100_000,
      scale: { settleMs: 2_000, open: 20, concurrency: 10, idleMs: 2_000, historyEdits: 2_000, archive: [100, 1_000], projections: 20 },
    }
  : {
      fanoutClients: [2, 16, 64],
      fanout: { edits: 300, warmup: 30, intervalMs: 25 },
      typing: { typists: 16, edits: 300, minMs: 10, maxMs: 40 },
      history: { edits: 100_000, joins: 9 },
      churn: { briefings: 500, warmup: 5, idleMs: 15_000 },
      pdf: { warm: 5, clients: 16, probe: { edits: 200, warmup: 20, intervalMs: 25 } },
      pageRuns: 20,
      pendingFlood: { clients: 8, updates: 600, updateBytes: 4096, gapMs: 2, edits: 40, intervalMs: 25 },
      budgetMs: 12 * 60_000,
      scale: { settleMs: 5_000, open: 500, concurrency: 50, idleMs: 15_000, historyEdits: 100_000, archive: [100, 5_000], projections: 200 },
    };

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
if (budgetArg > 0) SIZES.budgetMs = budgetArg * 1000;
else SIZES.budgetMs += REPEAT * 2 * (quick ? 90_000 : 4 * 60_000); // the repeated scenarios, reruns included
const watchdog = setTimeout(() => {
  console.error(`bench: over the time budget (${SIZES.budgetMs / 1000} s); stopping. Logs were in ${work}`);
  process.exit(2);
}, SIZES.budgetMs);
watchdog.unref();

const ours = () => startOurs(databasePath, logOf("ours"));
const reference = () => startReference(logOf("reference"));
async function stop(side: Side): Promise<void> {
  await side.stop();
}

const verdict = (ok: boolean): Verdict => (ok ? "pass" : "FAIL");

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
      target: "runs",
      verdict: "FAIL",
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
  log(`starting ${receiverProcesses + 2} client processes and both servers`);
  const clients = await startClients("client", receiverProcesses + 2);
  const [writer, joiner, ...receivers] = clients;
  let us = await ours();
  let ref = await reference();

  // 1. Live fan-out ------------------------------------------------------------------------------
  const fan: Record<number, { ours: FanoutResult; ref: FanoutResult }> = {};
  await guard("1. Fan-out", async () => {
    for (const n of runs(1) ? SIZES.fanoutClients : []) {
      log(`fan-out to ${n} clients`);
      const o = await fanout(us, writer, receivers, n, fixtures, SIZES.fanout);
      const r = await fanout(ref, writer, receivers, n, fixtures, SIZES.fanout);
      fan[n] = { ours: o, ref: r };
      const main = n === Math.max(...SIZES.fanoutClients) && n >= 64;
      const s = `1. Fan-out, ${n} clients`;
      rows.push(
        {
          scenario: s,
          metric: "p50 delivery",
          ours: fmtMs(o.p50),
          reference: fmtMs(r.p50),
          ratio: ratio(o.p50, r.p50),
          target: "—",
          verdict: "info",
        },
        {
          scenario: s,
          metric: "p99 delivery",
          ours: fmtMs(o.p99),
          reference: fmtMs(r.p99),
          ratio: ratio(o.p99, r.p99),
          target: main ? "≤ 1.2× reference" : "—",
          verdict: main ? verdict(o.p99 <= 1.2 * r.p99) : "info",
        },
        {
          scenario: s,
          metric: "max delivery",
          ours: fmtMs(o.max),
          reference: fmtMs(r.max),
          ratio: ratio(o.max, r.max),
          target: "—",
          verdict: "info",
        },
        {
          scenario: s,
          metric: "server CPU per delivered update",
          ours: fmtUs(o.cpuPerUpdateUs),
          reference: fmtUs(r.cpuPerUpdateUs),
          ratio: ratio(o.cpuPerUpdateUs, r.cpuPerUpdateUs),
          target: main ? "≤ reference" : "—",
          verdict: main ? verdict(o.cpuPerUpdateUs <= r.cpuPerUpdateUs) : "info",
        },
        {
          scenario: s,
          metric: "server peak RSS (VmHWM)",
          ours: fmtMB(o.peakRssBytes),
          reference: fmtMB(r.peakRssBytes),
          ratio: ratio(o.peakRssBytes, r.peakRssBytes),
          target: "—",
          verdict: "info",
        }
      );
      const delivered = o.delivered === o.expected && r.delivered === r.expected;
      if (!delivered)
        rows.push({
          scenario: s,
          metric: "updates delivered",
          ours: `${o.delivered}/${o.expected}`,
          reference: `${r.delivered}/${r.expected}`,
          ratio: "—",
          target: "all",
          verdict: "FAIL",
        });
      details.push(
        `Fan-out ${n}: ${SIZES.fanout.edits} measured edits (after ${SIZES.fanout.warmup} warm-up) every ${SIZES.fanout.intervalMs} ms; delivered ours ${o.delivered}/${o.expected}, reference ${r.delivered}/${r.expected}.`
      );
    }
  });

  // 2. Concurrent typists ------------------------------------------------------------------------
  if (runs(2))
    await guard("2. Typists", async () => {
      log(`${SIZES.typing.typists} concurrent typists`);
      const typingProcs = receivers.slice(0, 4);
      const restart = async (side: Side) => {
        await stop(side);
        return ours();
      };
      const typedOurs = await typing(us, typingProcs, joiner, fixtures, SIZES.typing, restart);
      us = typedOurs.side;
      const typedRef = (await typing(ref, typingProcs, joiner, fixtures, SIZES.typing, null)).result;
      const to = typedOurs.result;
      {
        const s = `2. ${to.typists} typists × ${to.edits} edits`;
        rows.push(
          {
            scenario: s,
            metric: "all clients converge",
            ours: yes(to.converged),
            reference: yes(typedRef.converged),
            ratio: "—",
            target: "converge",
            verdict: verdict(to.converged),
          },
          {
            scenario: s,
            metric: "time to converge after last edit",
            ours: fmtMs(to.convergeMs),
            reference: fmtMs(typedRef.convergeMs),
            ratio: ratio(to.convergeMs, typedRef.convergeMs),
            target: "—",
            verdict: "info",
          },
          {
            scenario: s,
            metric: "stored state = clients' state",
            ours: `${yes(to.storedEqual)} (after restart)`,
            reference: `${yes(typedRef.storedEqual)} (no persistence; same process)`,
            ratio: "—",
            target: "equal",
            verdict: verdict(to.storedEqual),
          }
        );
      }
    });

  // 3. Join with 100,000 edits of history ----------------------------------------------------------
  if (runs(3))
    await guard("3. Join with history", async () => {
      log(`join a briefing with ${SIZES.history.edits} edits of history`);
      const ho = await history(us, writer, receivers[0], joiner, fixtures, databasePath, SIZES.history);
      const hr = await history(ref, writer, receivers[0], joiner, fixtures, databasePath, SIZES.history);
      {
        const s = `3. Join, ${SIZES.history.edits.toLocaleString("en")} edits of history`;
        rows.push(
          {
            scenario: s,
            metric: "full sync, room loaded (median)",
            ours: fmtMs(ho.syncMs, 1),
            reference: fmtMs(hr.syncMs, 1),
            ratio: ratio(ho.syncMs, hr.syncMs),
            target: "< reference",
            verdict: verdict(ho.syncMs < hr.syncMs),
          },
          {
            scenario: s,
            metric: "full state arrives (server's part, median)",
            ours: fmtMs(ho.stateArrivedMs, 1),
            reference: fmtMs(hr.stateArrivedMs, 1),
            ratio: ratio(ho.stateArrivedMs, hr.stateArrivedMs),
            target: "—",
            verdict: "info",
          },
          {
            scenario: s,
            metric: "full sync, room not loaded",
            ours: fmtMs(ho.coldSyncMs, 1),
            reference: "n/a (never unloads)",
            ratio: "—",
            target: "—",
            verdict: "info",
          },
          {
            scenario: s,
            metric: "bytes received to sync",
            ours: fmtKB(ho.bytes),
            reference: fmtKB(hr.bytes),
            ratio: ratio(ho.bytes, hr.bytes),
            target: "—",
            verdict: "info",
          },
          {
            scenario: s,
            metric: "new client's content = writer's",
            ours: yes(ho.sameContent),
            reference: yes(hr.sameContent),
            ratio: "—",
            target: "equal",
            verdict: verdict(ho.sameContent),
          }
        );
        details.push(
          `History: ${ho.edits} edits sent as ${
            ho.updates
          } updates (${HISTORY_BATCH} keystrokes per update) through one client; ours stored it as: ${
            ho.compacted
          }. Join runs (ms) ours ${ho.syncRunsMs.map((x) => x.toFixed(1)).join(", ")}; reference ${hr.syncRunsMs
            .map((x) => x.toFixed(1))
            .join(", ")}. Median time to socket open / full state arrived: ours ${ho.openMs.toFixed(1)} / ${ho.stateArrivedMs.toFixed(
            1
          )} ms, reference ${hr.openMs.toFixed(1)} / ${hr.stateArrivedMs.toFixed(1)} ms (the rest is the client applying the state).`
        );
      }
    });

  // 4. Briefings opened and closed in turn (fresh servers) --------------------------------------------
  if (runs(4))
    await guard("4. Briefings in turn", async () => {
      log(`${SIZES.churn.briefings} briefings opened and closed in turn`);
      await Promise.all([stop(us), stop(ref)]);
      us = await ours();
      ref = await reference();
      const co = await churn(us, joiner, fixtures, SIZES.churn);
      const cr = await churn(ref, joiner, fixtures, SIZES.churn);
      {
        const s = `4. ${co.briefings} briefings opened in turn`;
        const heapRatio = co.after.heapUsed / co.before.heapUsed;
        rows.push(
          {
            scenario: s,
            metric: "rooms in memory after idle",
            ours: String(co.after.rooms),
            reference: `${cr.after.rooms} (never unloads)`,
            ratio: "—",
            target: "0",
            verdict: verdict(co.after.rooms === 0),
          },
          {
            scenario: s,
            metric: "heap used after idle / before",
            ours: `${fmtMB(co.after.heapUsed)} / ${fmtMB(co.before.heapUsed)}`,
            reference: `${fmtMB(cr.after.heapUsed)} / ${fmtMB(cr.before.heapUsed)}`,
            ratio: `${heapRatio.toFixed(2)}× vs ${(cr.after.heapUsed / cr.before.heapUsed).toFixed(2)}×`,
            target: "≤ 1.2× idle",
            verdict: verdict(heapRatio <= 1.2),
          },
          {
            scenario: s,
            metric: "RSS after idle / before",
            ours: `${fmtMB(co.after.rss)} / ${fmtMB(co.before.rss)}`,
            reference: `${fmtMB(cr.after.rss)} / ${fmtMB(cr.before.rss)}`,
            ratio: `${(co.after.rss / co.before.rss).toFixed(2)}× vs ${(cr.after.rss / cr.before.rss).toFixed(2)}×`,
            target: "—",
            verdict: "info",
          },
          {
            scenario: s,
            metric: "time to open+edit+close each",
            ours: fmtMs(co.ms / Math.max(1, co.opened - SIZES.churn.warmup)),
            reference: fmtMs(cr.ms / Math.max(1, cr.opened - SIZES.churn.warmup)),
            ratio: ratio(co.ms, cr.ms),
            target: "—",
            verdict: "info",
          }
        );
        if (co.failures.length || cr.failures.length || co.opened !== co.briefings) {
          rows.push({
            scenario: s,
            metric: "briefings opened",
            ours: `${co.opened}/${co.briefings}`,
            reference: `${cr.opened}/${cr.briefings}`,
            ratio: "—",
            target: "all",
            verdict: "FAIL",
          });
          details.push(`Churn failures: ours ${co.failures.join("; ") || "none"}; reference ${cr.failures.join("; ") || "none"}.`);
        }
      }
    });

  // 8. Pending-update flood --------------------------------------------------------------------------------
  if (runs(8))
    await guard("8. Pending-update flood", async () => {
      const opts = { ...SIZES.pendingFlood, warmup: 5 };
      log(`pending-update flood: ${opts.updates} × ${fmtKB(opts.updateBytes)} clock-gap updates, ${opts.gapMs} ms apart`);
      const o = await pendingFlood(us, writer, receivers, SIZES.pendingFlood.clients, fixtures, opts);
      const r = await pendingFlood(ref, writer, receivers, SIZES.pendingFlood.clients, fixtures, opts);
      const s = `8. Pending-update flood, ${SIZES.pendingFlood.clients} clients`;
      rows.push(
        {
          scenario: s,
          metric: "/healthz max during flood",
          ours: fmtMs(o.healthz.max),
          reference: fmtMs(r.healthz.max),
          ratio: ratio(o.healthz.max, r.healthz.max),
          target: "< 100 ms",
          verdict: verdict(o.healthz.max < 100),
        },
        {
          scenario: s,
          metric: "/healthz p99 during flood",
          ours: fmtMs(o.healthz.p99),
          reference: fmtMs(r.healthz.p99),
          ratio: ratio(o.healthz.p99, r.healthz.p99),
          target: "—",
          verdict: "info",
        },
        {
          scenario: s,
          metric: "live edit p99 delivery during flood",
          ours: fmtMs(o.live.p99),
          reference: fmtMs(r.live.p99),
          ratio: ratio(o.live.p99, r.live.p99),
          target: "—",
          verdict: o.live.delivered === o.live.expected ? "info" : "FAIL",
        },
        {
          scenario: s,
          metric: "server RSS growth",
          ours: fmtMB(o.rssGrowthBytes),
          reference: fmtMB(r.rssGrowthBytes),
          ratio: "—",
          target: "—",
          verdict: "info",
        }
      );
      const codes = (c: number[]) => (c.length ? `${c.length} closes (${Array.from(new Set(c)).join(", ")})` : "none");
      details.push(
        `Pending-update flood: ours took ${o.sent} updates in ${codes(o.closes)}, ${o.healthz.samples} health polls; reference took ${r.sent} in ${codes(r.closes)}, ${r.healthz.samples} polls (its / answers "okay").`
      );
    });
  await stop(ref);

  // 5. PDF export ------------------------------------------------------------------------------------
  if (runs(5))
    await guard("5. PDF", async () => {
      log("PDF export of a generated 50-page brief");
      const ex = await exportOverHttp(us, SIZES.pdf.warm);
      const s5 = "5. PDF, 50-page brief";
      if (ex.available) {
        rows.push(
          {
            scenario: s5,
            metric: "export over HTTP, first (cold)",
            ours: fmtMs(ex.coldMs, 0),
            reference: "n/a",
            ratio: "—",
            target: "—",
            verdict: "info",
          },
          {
            scenario: s5,
            metric: "export over HTTP, warm (median)",
            ours: fmtMs(ex.warmMs, 0),
            reference: "n/a",
            ratio: "—",
            target: "≤ 500 ms",
            verdict: verdict((ex.warmMs ?? Infinity) <= 500),
          },
          {
            scenario: s5,
            metric: "render process peak RSS",
            ours: fmtMB(ex.peakWorkerRssBytes),
            reference: "n/a",
            ratio: "—",
            target: "—",
            verdict: "info",
          }
        );
        details.push(`PDF over HTTP: ${fmtKB(ex.bytes)} PDF; warm runs (ms) ${ex.warmRunsMs.map((x) => x.toFixed(0)).join(", ")}.`);
        const lat = await latencyDuringExport(us, writer, receivers, SIZES.pdf.clients, fixtures, SIZES.pdf.probe);
        const delta = lat.duringExport.p99 - lat.idle.p99;
        rows.push(
          {
            scenario: s5,
            metric: `live edit p99 to ${SIZES.pdf.clients} clients: during export vs idle`,
            ours: `${fmtMs(lat.duringExport.p99)} vs ${fmtMs(lat.idle.p99)}`,
            reference: "n/a",
            ratio: "—",
            target: "≤ idle + a few ms (5)",
            verdict: verdict(delta <= 5 && lat.exportsDuring > 0),
          },
          {
            scenario: s5,
            metric: "live edit max during export vs idle",
            ours: `${fmtMs(lat.duringExport.max)} vs ${fmtMs(lat.idle.max)}`,
            reference: "n/a",
            ratio: "—",
            target: "—",
            verdict: "info",
          }
        );
        details.push(
          `Live edits during export: ${lat.exportsDuring} exports ran back to back while ${SIZES.pdf.probe.edits} edits were delivered to ${SIZES.pdf.clients} clients (${lat.duringExport.delivered}/${lat.duringExport.expected} delivered).`
        );
      } else {
        rows.push({
          scenario: s5,
          metric: "export over HTTP",
          ours: `failed: ${ex.status}`,
          reference: "n/a",
          ratio: "—",
          target: "≤ 500 ms",
          verdict: "FAIL",
        });
      }
      const helper = await runPdfHelper(quick);
      rows.push(...helper.rows);
      details.push(...helper.details);
      log("Word and Markdown export of the 50-page brief");
      const docx = await docxRows(quick);
      rows.push(...docx.rows);
      details.push(...docx.details);
    });

  // 6. Editor page -------------------------------------------------------------------------------------
  if (runs(6))
    await guard("6. Editor page", async () => {
      log("editor page: server render and editor JavaScript");
      const page = await editorPage(us, path.join(ROOT, BUILD_DIR, "client"), SIZES.pageRuns);
      const s = "6. Editor page";
      rows.push(
        {
          scenario: s,
          metric: "server render (median)",
          ours: fmtMs(page.renderMs, 1),
          reference: "n/a",
          ratio: "—",
          target: "< 100 ms",
          verdict: verdict(page.renderMs < 100),
        },
        {
          scenario: s,
          metric: "editor JavaScript, gzipped",
          ours: `${fmtKB(page.editorGzipBytes)} (${page.editorFiles} files${page.lazy ? ", lazy" : ", NOT lazy"})`,
          reference: "n/a",
          ratio: "—",
          target: "< 250 KB, after first paint",
          verdict: verdict(page.editorGzipBytes < 250 * 1024 && page.lazy),
        }
      );
      details.push(`Briefing page render runs (ms): ${page.renderRunsMs.map((x) => x.toFixed(1)).join(", ")}.`);
    });

  // 9. Projection (run before durability, which restarts the server) ---------------------------------
  if (runs(9))
    await guard("9. Projection", async () => {
      log("live edits while a 50-page brief is projected");
      const lat = await latencyDuringProjection(us, writer, joiner, receivers, SIZES.pdf.clients, fixtures, { ...SIZES.pdf.probe, settleMs: 500 });
      const s9 = "9. Projection, 50-page brief";
      const delta = lat.duringProjection.p99 - lat.idle.p99;
      rows.push(
        {
          scenario: s9,
          metric: `live edit p99 to ${SIZES.pdf.clients} clients: while a 50-page brief is projected vs idle`,
          ours: `${fmtMs(lat.duringProjection.p99)} vs ${fmtMs(lat.idle.p99)}`,
          reference: "n/a (no projection)",
          ratio: "—",
          target: "≤ idle + a few ms (5)",
          verdict: verdict(delta <= 5 && lat.projectionsDuring > 0),
        },
        {
          scenario: s9,
          metric: "live edit max while projected vs idle",
          ours: `${fmtMs(lat.duringProjection.max)} vs ${fmtMs(lat.idle.max)}`,
          reference: "n/a",
          ratio: "—",
          target: "—",
          verdict: "info",
        }
      );
      details.push(
        `Live edits during projection: the 50-page brief was edited once per settle (PROJECTION_DEBOUNCE_MS 500) and projected ${lat.projectionsDuring} times in the projection thread while ${SIZES.pdf.probe.edits} edits were delivered to ${SIZES.pdf.clients} clients (${lat.duringProjection.delivered}/${lat.duringProjection.expected} delivered).`
      );
    });

  // 10. Word import --------------------------------------------------------------------------------------
  if (runs(10))
    await guard("10. Word import", async () => {
      log("Word import: a 50-page .docx through the New briefing form");
      const imp = await docxImport(us.server.url, quick ? 2 : 5);
      const s10 = "10. Word import, 50 pages";
      rows.push(
        { scenario: s10, metric: "upload to redirect, cold (first import starts the thread)", ours: fmtMs(imp.coldMs, 0), reference: "n/a", ratio: "—", target: "≤ 2 s", verdict: verdict(imp.coldMs <= 2000) },
        { scenario: s10, metric: "upload to redirect, warm (median)", ours: fmtMs(imp.warmMedianMs, 0), reference: "n/a", ratio: "—", target: "≤ 2 s", verdict: verdict(imp.warmMedianMs <= 2000) },
      );
      details.push(`Word import: ${imp.pages}-page document of ${fmtKB(imp.bytes)}; warm runs (ms) ${imp.warmRunsMs.map((x) => x.toFixed(0)).join(", ")}.`);
    });

  // 7. Durability ----------------------------------------------------------------------------------------
  if (runs(7))
    await guard("7. Durability", async () => {
      log("durability: edit, 260 ms, kill -9, restart");
      const d = await durability(us, writer, joiner, fixtures, 260, ours);
      us = d.side;
      rows.push({
        scenario: "7. Durability",
        metric: "edit 260 ms before kill -9 survives",
        ours: yes(d.survived),
        reference: "n/a (no persistence)",
        ratio: "—",
        target: "survives",
        verdict: verdict(d.survived),
      });
    });
  await stop(us);


  // 11–14. Scale, by the repeated method (method.ts): fresh servers per run, order alternating ----
  const repeatOpts = { repeat: REPEAT, busyCores: BUSY_CORES, log };
  /** Starts both servers fresh in `order`, measures each with `fn` in that order, stops them. */
  const pair = async (order: Order, fn: (side: Side) => Promise<Measured>): Promise<Measured> => {
    const out: Measured = {};
    for (const kind of order === "ours first" ? ["ours", "reference"] : ["reference", "ours"]) {
      const side = kind === "ours" ? await ours() : await reference();
      try {
        for (const [k, v] of Object.entries(await fn(side))) out[`${kind}.${k}`] = v;
      } finally {
        await stop(side);
      }
    }
    return out;
  };
  const spreadRow = (r: Repeated, scenario: string, metric: string, key: string, fmt: (v: number) => string, target = "—"): Row => ({
    scenario,
    metric,
    ours: fmtSpread(r.stats[`ours.${key}`], fmt),
    reference: fmtSpread(r.stats[`reference.${key}`], fmt),
    ratio: ratio(r.stats[`ours.${key}`]?.median, r.stats[`reference.${key}`]?.median),
    target,
    verdict: "info",
  });
  const noteRow = (r: Repeated, scenario: string): Row => ({ scenario, metric: "machine during the runs", ours: busyNote(r), reference: "", ratio: "—", target: "quiet", verdict: r.busyRuns > 0 ? "info" : "pass" });

  if (runs(11) || runs(12))
    await guard("11–12. Start and many briefings at once", async () => {
      const n = SIZES.scale.open;
      log(`RSS after start; ${n} briefings opened at once (${REPEAT} runs per side)`);
      const r = await repeated("start and open many", repeatOpts, (order) =>
        pair(order, async (side) => {
          const rss = await rssAfterStart(side, SIZES.scale.settleMs);
          const o = await openMany(side, joiner, fixtures, { count: n, concurrency: SIZES.scale.concurrency, idleMs: SIZES.scale.idleMs });
          if (o.opened !== n) throw new Error(`${side.kind}: opened ${o.opened}/${n}: ${o.failures.join("; ")}`);
          return { rssStart: rss, openMs: o.ms, cpuS: o.serverCpuS, cpuPerOpenMs: (o.serverCpuS * 1000) / n, rssIdle: o.rssIdleBytes };
        })
      );
      const s11 = "11. Server memory";
      const s12 = `12. ${n} briefings opened at once and edited`;
      rows.push(
        spreadRow(r, s11, `RSS ${SIZES.scale.settleMs / 1000} s after start (median, min–max)`, "rssStart", fmtMB),
        spreadRow(r, s11, `RSS after the ${n} briefings, ${SIZES.scale.idleMs / 1000} s idle`, "rssIdle", fmtMB),
        spreadRow(r, s12, "time until every briefing was synced and edited", "openMs", (v) => fmtMs(v, 0)),
        spreadRow(r, s12, "server CPU for it", "cpuS", (v) => `${v.toFixed(2)} s`),
        spreadRow(r, s12, "server CPU per briefing opened", "cpuPerOpenMs", (v) => fmtMs(v, 2)),
        noteRow(r, s12)
      );
      details.push(
        `Many at once: one client process opens ${n} briefings with at most ${SIZES.scale.concurrency} sockets opening at a time (owner session), waits for each to sync, inserts one phrase in each, keeps all open until the last is edited, then closes them. Ours loads each room from SQLite (snapshot + log) and checks session and membership per upgrade; the reference starts each document empty and gets the template from the client.`
      );
    });

  if (runs(13))
    await guard("13. Join, random-position history", async () => {
      const edits = SIZES.scale.historyEdits;
      log(`cold join after ${edits} random-position edits (${REPEAT} runs per side)`);
      const r = await repeated("random-position history", repeatOpts, (order) =>
        pair(order, async (side) => {
          const h = await history(side, writer, receivers[0], joiner, fixtures, databasePath, { edits, joins: 3, randomPositions: true });
          if (!h.sameContent) throw new Error(`${side.kind}: joined content differs from the writer's`);
          return { warmMs: h.syncMs, ...(h.coldSyncMs === null ? {} : { coldMs: h.coldSyncMs }), kb: h.bytes / 1024 };
        })
      );
      const s13 = `13. Join, ${edits.toLocaleString("en")} random-position edits of history`;
      rows.push(
        spreadRow(r, s13, "full sync, room not loaded (cold)", "coldMs", (v) => fmtMs(v, 1)),
        spreadRow(r, s13, "full sync, room loaded (median of 3 joins)", "warmMs", (v) => fmtMs(v, 1)),
        spreadRow(r, s13, "KB received to sync", "kb", (v) => `${v.toFixed(0)} KB`),
        noteRow(r, s13)
      );
      details.push(
        `Random-position history: the same generator as scenario 3, but every keystroke moves the cursor to a random place of a random paragraph first, so no two keystrokes share a Yjs item (realistic typing, scenario 3, makes runs of characters that merge). The reference keeps no history across its restart, so its cold join does not exist.`
      );
    });

  if (runs(14))
    await guard("14. Projection vs archive", async () => {
      const [small, large] = SIZES.scale.archive;
      log(`projection cost with ${small} and ${large} stored briefings (${REPEAT} runs)`);
      const r = await repeated("projection vs archive", repeatOpts, async () => {
        const a = await projectionWithArchive(small, SIZES.scale.projections);
        const b = await projectionWithArchive(large, SIZES.scale.projections);
        return { "ours.small": a.projectionMs, "ours.large": b.projectionMs, "ours.scanSmall": a.scanLookupMs, "ours.scanLarge": b.scanLookupMs };
      });
      const s14 = "14. Projection write vs stored briefings";
      const st = (k: string) => r.stats[`ours.${k}`];
      const growth = (st("large")?.median ?? NaN) / (st("small")?.median ?? NaN);
      rows.push(
        { scenario: s14, metric: `one projection write, ${small} stored`, ours: fmtSpread(st("small"), (v) => fmtMs(v, 3)), reference: "n/a (no projection)", ratio: "—", target: "—", verdict: "info" },
        { scenario: s14, metric: `one projection write, ${large.toLocaleString("en")} stored`, ours: fmtSpread(st("large"), (v) => fmtMs(v, 3)), reference: "n/a", ratio: `${growth.toFixed(2)}× the ${small}`, target: "≤ 1.5× (no growth)", verdict: verdict(growth <= 1.5) },
        { scenario: s14, metric: `old look-up by UNINDEXED briefing_id: ${small} vs ${large.toLocaleString("en")} stored`, ours: `${fmtSpread(st("scanSmall"), (v) => fmtMs(v, 3))} vs ${fmtSpread(st("scanLarge"), (v) => fmtMs(v, 3))}`, reference: "n/a", ratio: "—", target: "—", verdict: "info" },
        noteRow(r, s14)
      );
      details.push(
        `Projection vs archive: in the benchmark process, a fresh database with ${small} and then ${large} briefings inserted directly (row, body text, search row), then one briefing's projection written ${SIZES.scale.projections} times with a changed text (so the search row is rewritten each time); median per run. The old look-up (what each projection did before search rows were keyed, ADR 0205) is timed on the same data for comparison.`
      );
    });

  if (runs(15)) await guard("15. Version history", async () => void rows.push(...(await historyScenario({ databasePath, logFile: logOf("history"), edits: argNumber("edits", quick ? 5_000 : 100_000), versions: 200 }))));

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
  log(`${failed === 0 ? "all targets met" : `${failed} target(s) missed`} in ${((nowMs() - t0) / 1000).toFixed(0)} s`);
}

function yes(b: boolean): string {
  return b ? "yes" : "NO";
}

const METHOD = [
  "Repeated method (scenarios 11–14, scripts/bench/method.ts): each scenario runs `--repeat=N` times (default 3); run i starts with ours when i is even and with the reference when odd, and every run starts both servers afresh (ours on the same database file). During each run the CPU used by other processes is read as the machine's busy jiffies in /proc/stat minus the utime+stime (/proc/<pid>/stat) of the benchmark process and all its descendants (servers, render processes, client processes). A run in which others used more than `--busy-cores` (default 0.2) of a core is marked busy and taken again, at most N more runs in all; the rows give the median and the spread (min–max) of the kept runs, and a `machine during the runs` row says how many of them were busy. Scenarios 1–10 are still measured once per server start, in the order given.",
  "Scale: RSS is VmRSS of the server process from /proc, read the settle time after start (the bench has signed in as the four demo users; ours' projection thread may still be running the start-up backfill) and after the many-briefings run and an idle pause. Many at once: see Details. Projection vs archive runs in the benchmark process on its own database (no server), so it has no reference figure.",
  "Servers: ours is the compiled server (`npm run build` into `.build-bench`, one bundle of server and Remix app) run with plain `node` in production mode ( sessions, persistence to a fresh temporary SQLite file seeded with the demo data plus the bench briefings, /metrics on, 127.0.0.1, port 0, default limits). The reference is `@y/websocket-server` 0.1.1's `setupWSConnection` wired exactly as its `src/server.js` (its own `ws` copy, no persistence) in `scripts/bench/reference-server.mjs`, which only adds port 0 and a stats URL. Both run at the same time as separate processes.",
  "Clients: stock y-websocket 3.1 `WebsocketProvider`s (ws polyfill, `disableBc`), in separate Node processes (`scripts/bench/worker.ts`): one writer process, one joiner process and receiver processes of at most 8 clients each (64 clients = 8 processes). Clients of ours sign in through the real /login form and connect with the session cookie and Origin; receivers are spread over the four demo users (roles owner, editor, commenter, viewer) so the per-user connection cap (50) is respected.",
  "Latency: the writer inserts `«n»` into the first paragraph and takes `process.hrtime` just before; each receiver takes `process.hrtime` in a `message` listener registered before the provider's, and the text observer then maps the marker to that arrival. `process.hrtime` is CLOCK_MONOTONIC, one clock for all processes on the machine. Edits are paced (interval in Details) so rounds do not queue; warm-up edits are discarded. Percentiles are over all (edit, receiver) deliveries.",
  "CPU: utime+stime of the server process (all threads) from /proc/<pid>/stat over the measured edits, divided by updates delivered to receivers (the reference also echoes each update to its writer; that echo is not counted as a delivery). Peak RSS is VmHWM of the server process since it started (runs go 2 → 16 → 64, so it is that run's peak).",
  "Typists: 16 clients in 4 processes (owner and editor sessions) each make single-character edits (85% insert, 15% delete) at random positions of random paragraphs, 10–40 ms apart. Convergence is reached when every client's state vector covers the union of all typists' state vectors; the time is from the last edit sent to the last client converging. Then ours is stopped with SIGTERM and restarted on the same database and a fresh client's content and state vector are compared with the typists'.",
  "History: 100,000 keystrokes of typing (letters typed at a cursor, one in ten a backspace, one in twenty-five first moves the cursor to a random place in a random paragraph), generated once with a seeded PRNG and sent as the same updates (100 keystrokes each, about 330 updates a second) through one client to each server; ours compacts its log every 500 updates while this happens. For ours, everyone then leaves so the room stores, compacts into a snapshot and unloads (checked in the database); one cold join is measured, then a client keeps the room loaded and new clients join (median of the runs). Sync time is from creating the provider (so it includes the WebSocket upgrade and, for ours, the session check) to its `sync` event; the server's part is the time until the full state (the largest message) has arrived; bytes are all WebSocket payload bytes received until the sync event.",
  "Briefings in turn: each briefing is opened by a new client, synced, edited once and closed, one after another, from one client process. Memory is read after idling (15 s without any request, then the lowest heap of three readings a second apart; V8 collects lazily, so heap after idle can still hold garbage): ours from its own /metrics (`summit_collab_rooms`, `summit_nodejs_heap_size_used_bytes`, `summit_process_resident_memory_bytes`), the reference from `process.memoryUsage()` and its `docs` map.",
  "Editor page: GET /briefings/:id signed in (median after one warm-up). Editor JavaScript is the gzipped static-import closure of the lazily loaded `briefing-editor.client` chunk minus the modules the page loads first (entry, root and route closures from the Remix manifest).",
  "Durability: a client inserts a marker, the server is killed with SIGKILL 260 ms later, restarted on the same database, and a fresh client looks for the marker.",
  "Pending-update flood: one raw socket (signed in as the owner on ours) sends y-websocket updates of 4 KiB that each start at a clock the server does not have (a clock gap, so Yjs cannot integrate them), 2 ms apart, reconnecting whenever it is closed, while the orchestrator polls `/healthz` (the reference: `/`) back to back and the writer's live edits are timed to the receivers as in fan-out. RSS growth is VmRSS after minus before the flood.",
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
