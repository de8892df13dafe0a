// Scenarios 11–14 of `npm run bench`: memory after start, many briefings opened at once, the cold
// join after random-position edits, and the projection's cost as the archive grows.
import { compareLine, noteLine, oursLine, pair, repeat, runList, type Scenario } from "./harness";
import { fmtSpread, type Repeated } from "./method";
import { fmtMB, fmtMs } from "./report";
import { history } from "./scenarios";
import { openMany, projectionWithArchive, rssAfterStart } from "./scenarios-scale";

export const startAndManyScenario: Scenario = {
  // Scenarios 11 and 12 share their runs: the RSS after start is read on the servers that then open many.
  numbers: [11, 12],
  name: "11–12. Start and many briefings at once",
  async run(ctx) {
    const { scale } = ctx.sizes;
    const n = scale.open;
    ctx.log(`RSS after start; ${n} briefings opened at once (${ctx.method.repeat} runs per side)`);
    const r = await repeat(ctx, "start and open many", (order) =>
      pair(ctx, order, async (side) => {
        const rss = await rssAfterStart(side, scale.settleMs);
        const o = await openMany(side, ctx.joiner, ctx.fixtures, { count: n, concurrency: scale.concurrency, idleMs: scale.idleMs });
        if (o.opened !== n) throw new Error(`${side.kind}: opened ${o.opened}/${n}: ${o.failures.join("; ")}`);
        return { rssStart: rss, openMs: o.ms, cpuS: o.serverCpuS, cpuPerOpenMs: (o.serverCpuS * 1000) / n, rssIdle: o.rssIdleBytes };
      })
    );
    const s11 = "11. Server memory";
    const s12 = `12. ${n} briefings opened at once and edited`;
    ctx.rows.push(
      compareLine(r, s11, `RSS ${scale.settleMs / 1000} s after start`, "rssStart", fmtMB),
      compareLine(r, s11, `RSS after the ${n} briefings, ${scale.idleMs / 1000} s idle`, "rssIdle", fmtMB),
      compareLine(r, s12, "time until every briefing was synced and edited", "openMs", (v) => fmtMs(v, 0)),
      compareLine(r, s12, "server CPU for it", "cpuS", (v) => `${v.toFixed(2)} s`),
      compareLine(r, s12, "server CPU per briefing opened", "cpuPerOpenMs", (v) => fmtMs(v, 2)),
      noteLine(r, s12)
    );
    ctx.details.push(
      `Many at once: one client process opens ${n} briefings with at most ${scale.concurrency} sockets opening at a time (owner session), waits for each to sync, inserts one phrase in each, keeps all open until the last is edited, then closes them. Ours loads each room from SQLite (snapshot + log) and checks session and membership per upgrade; the reference starts each document empty and gets the template from the client. Server CPU per run (s) ours ${runList(r, "ours.cpuS", 2)}; reference ${runList(r, "reference.cpuS", 2)}.`
    );
  },
};

export const randomHistoryScenario: Scenario = {
  numbers: [13],
  name: "13. Join, random-position history",
  async run(ctx) {
    const edits = ctx.sizes.scale.historyEdits;
    ctx.log(`cold join after ${edits} random-position edits (${ctx.method.repeat} runs per side)`);
    const r = await repeat(ctx, "random-position history", (order) =>
      pair(ctx, order, async (side) => {
        const h = await history(side, ctx.writer, ctx.receivers[0], ctx.joiner, ctx.fixtures, ctx.databasePath, { edits, joins: 3, randomPositions: true });
        if (!h.sameContent) throw new Error(`${side.kind}: joined content differs from the writer's`);
        return {
          warmMs: h.syncMs,
          warmCpuMs: h.warmCpuMs,
          ...(h.coldSyncMs === null ? {} : { coldMs: h.coldSyncMs, coldCpuMs: h.coldCpuMs ?? NaN }),
          kb: h.bytes / 1024,
        };
      })
    );
    const s13 = `13. Join, ${edits.toLocaleString("en")} random-position edits of history`;
    ctx.rows.push(
      oursLine(r, s13, "full sync, room not loaded (cold)", "coldMs", (v) => fmtMs(v, 1), { reference: "n/a (no persistence)" }),
      oursLine(r, s13, "server CPU for the cold join", "coldCpuMs", (v) => fmtMs(v, 0), { reference: "n/a" }),
      compareLine(r, s13, "full sync, room loaded (median of 3 joins)", "warmMs", (v) => fmtMs(v, 1)),
      compareLine(r, s13, "server CPU per join, room loaded", "warmCpuMs", (v) => fmtMs(v, 1)),
      compareLine(r, s13, "KB received to sync", "kb", (v) => `${v.toFixed(0)} KB`, { compare: false }),
      noteLine(r, s13)
    );
    ctx.details.push(
      `Random-position history: the same generator as scenario 3, but every keystroke moves the cursor to a random place of a random paragraph first, so no two keystrokes share a Yjs item (realistic typing, scenario 3, makes runs of characters that merge). The reference keeps no history across its restart, so its cold join does not exist. Server CPU is the sum over the server's threads of their scheduler counts in nanoseconds (ADR 0010).`
    );
  },
};

export const archiveScenario: Scenario = {
  numbers: [14],
  name: "14. Projection vs archive",
  async run(ctx) {
    const [small, large] = ctx.sizes.scale.archive;
    const projections = ctx.sizes.scale.projections;
    ctx.log(`projection cost with ${small} and ${large} stored briefings (${ctx.method.repeat} runs)`);
    const r: Repeated = await repeat(ctx, "projection vs archive", async () => {
      const a = await projectionWithArchive(small, projections);
      const b = await projectionWithArchive(large, projections);
      return { "ours.small": a.projectionMs, "ours.large": b.projectionMs, "ours.scanSmall": a.scanLookupMs, "ours.scanLarge": b.scanLookupMs };
    });
    const s14 = "14. Projection write vs stored briefings";
    const st = (k: string) => r.stats[`ours.${k}`];
    const growth = (st("large")?.median ?? NaN) / (st("small")?.median ?? NaN);
    const ms3 = (v: number) => fmtMs(v, 3);
    ctx.rows.push(
      oursLine(r, s14, `one projection write, ${small} stored`, "small", ms3, { reference: "n/a (no projection)" }),
      { ...oursLine(r, s14, `one projection write, ${large.toLocaleString("en")} stored`, "large", ms3, { target: "≤ 1.5× (no growth)", meets: () => growth <= 1.5 }), ratio: `${growth.toFixed(2)}× the ${small}` },
      { ...oursLine(r, s14, `old look-up by UNINDEXED briefing_id: ${small} vs ${large.toLocaleString("en")} stored`, "scanSmall", ms3), ours: `${fmtSpread(st("scanSmall"), ms3)} vs ${fmtSpread(st("scanLarge"), ms3)}` },
      noteLine(r, s14)
    );
    ctx.details.push(
      `Projection vs archive: in the benchmark process, a fresh database with ${small} and then ${large} briefings inserted directly (row, body text, search row), then one briefing's projection written ${projections} times with a changed text (so the search row is rewritten each time); median per run. The old look-up (what each projection did before search rows were keyed, ADR 0205) is timed on the same data for comparison, in a loop after the writes: timed between them, its read of the whole index made the writes' cost follow the archive (ADR 0206).`
    );
  },
};
