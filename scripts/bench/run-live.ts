// Scenarios 1–4 and 8 of `npm run bench`: the live collaboration paths both servers have, each by
// the repeated method (harness.ts) with fresh servers per run and the order alternating.
import { compareLine, allLine, noteLine, oursLine, pair, repeat, runList, type Scenario } from "./harness";
import { fmtKB, fmtMB, fmtMs, fmtUs } from "./report";
import { HISTORY_BATCH, churn, fanout, history, pendingFlood, typing } from "./scenarios";

const flag = (b: boolean) => (b ? 1 : 0);

export const fanoutScenario: Scenario = {
  numbers: [1],
  name: "1. Fan-out",
  async run(ctx) {
    const { sizes } = ctx;
    const counts = sizes.fanoutClients;
    ctx.log(`fan-out to ${counts.join(", ")} clients (${ctx.method.repeat} runs per side)`);
    const r = await repeat(ctx, "fan-out", (order) =>
      pair(ctx, order, async (side) => {
        const out: Record<string, number> = {};
        for (const n of counts) {
          const f = await fanout(side, ctx.writer, ctx.receivers, n, ctx.fixtures, sizes.fanout);
          Object.assign(out, {
            [`p50.${n}`]: f.p50,
            [`p99.${n}`]: f.p99,
            [`max.${n}`]: f.max,
            [`cpu.${n}`]: f.cpuPerUpdateUs,
            [`rss.${n}`]: f.peakRssBytes,
            [`all.${n}`]: flag(f.delivered === f.expected),
          });
        }
        return out;
      })
    );
    const atMost = (o: number, ref: number) => o <= ref;
    for (const n of counts) {
      const s = `1. Fan-out, ${n} clients`;
      const target = "≤ reference";
      ctx.rows.push(
        compareLine(r, s, "p50 delivery", `p50.${n}`, (v) => fmtMs(v)),
        compareLine(r, s, "p99 delivery", `p99.${n}`, (v) => fmtMs(v), { target, meets: atMost }),
        compareLine(r, s, "max delivery", `max.${n}`, (v) => fmtMs(v)),
        compareLine(r, s, "server CPU per delivered update", `cpu.${n}`, fmtUs, { target, meets: atMost }),
        compareLine(r, s, "server peak RSS (VmHWM)", `rss.${n}`, fmtMB),
        allLine(r, s, "every update delivered", `all.${n}`, "all")
      );
      ctx.details.push(`Fan-out ${n}: p99 per run (ms) ours ${runList(r, `ours.p99.${n}`, 2)}; reference ${runList(r, `reference.p99.${n}`, 2)}. CPU per delivery (µs) ours ${runList(r, `ours.cpu.${n}`)}; reference ${runList(r, `reference.cpu.${n}`)}.`);
    }
    ctx.rows.push(noteLine(r, "1. Fan-out"));
    ctx.details.push(`Fan-out: per run and size, ${sizes.fanout.edits} measured edits (after ${sizes.fanout.warmup} warm-up) every ${sizes.fanout.intervalMs} ms, sizes in the order ${counts.join(" → ")} on the same fresh server; each size's warm-up starts once the server is idle (under 20 ms of CPU in 300 ms: ours' start-up backfill, and the previous size's unload with its projection and history version, done).`);
  },
};

export const typistsScenario: Scenario = {
  numbers: [2],
  name: "2. Typists",
  async run(ctx) {
    const { typists, edits } = ctx.sizes.typing;
    ctx.log(`${typists} concurrent typists (${ctx.method.repeat} runs per side)`);
    const procs = ctx.receivers.slice(0, 4);
    const r = await repeat(ctx, "typists", (order) =>
      pair(ctx, order, async (side, swap) => {
        const restart =
          side.kind === "ours"
            ? async () => {
                await side.stop();
                const next = await ctx.ours();
                swap(next);
                return next;
              }
            : null;
        const { result } = await typing(side, procs, ctx.joiner, ctx.fixtures, ctx.sizes.typing, restart);
        return { converged: flag(result.converged), convergeMs: result.convergeMs, stored: flag(result.storedEqual) };
      })
    );
    const s = `2. ${typists} typists × ${edits} edits`;
    ctx.rows.push(
      allLine(r, s, "all clients converge", "converged", "converge"),
      compareLine(r, s, "time to converge after last edit", "convergeMs", (v) => fmtMs(v)),
      allLine(r, s, "stored state = clients' state (ours after a restart)", "stored", "equal"),
      noteLine(r, s)
    );
  },
};

export const historyScenario: Scenario = {
  numbers: [3],
  name: "3. Join with history",
  async run(ctx) {
    const { edits, joins } = ctx.sizes.history;
    ctx.log(`join a briefing with ${edits} edits of history (${ctx.method.repeat} runs per side)`);
    let stored = "";
    const r = await repeat(ctx, "history", (order) =>
      pair(ctx, order, async (side) => {
        const h = await history(side, ctx.writer, ctx.receivers[0], ctx.joiner, ctx.fixtures, ctx.databasePath, { edits, joins });
        if (side.kind === "ours") stored = h.compacted;
        return {
          syncMs: h.syncMs,
          stateMs: h.stateArrivedMs,
          warmCpuMs: h.warmCpuMs,
          ...(h.coldSyncMs === null ? {} : { coldMs: h.coldSyncMs, coldCpuMs: h.coldCpuMs ?? NaN }),
          bytes: h.bytes,
          same: flag(h.sameContent),
        };
      })
    );
    const s = `3. Join, ${edits.toLocaleString("en")} edits of history`;
    ctx.rows.push(
      compareLine(r, s, `full sync, room loaded (median of ${joins} joins)`, "syncMs", (v) => fmtMs(v, 1), { target: "< reference", meets: (o, ref) => o < ref }),
      compareLine(r, s, "full state arrives (server's part)", "stateMs", (v) => fmtMs(v, 1)),
      compareLine(r, s, "server CPU per join, room loaded", "warmCpuMs", (v) => fmtMs(v, 1)),
      oursLine(r, s, "full sync, room not loaded (cold)", "coldMs", (v) => fmtMs(v, 1), { reference: "n/a (never unloads)" }),
      oursLine(r, s, "server CPU for the cold join", "coldCpuMs", (v) => fmtMs(v, 0), { reference: "n/a" }),
      compareLine(r, s, "bytes received to sync", "bytes", fmtKB, { compare: false }),
      allLine(r, s, "new client's content = writer's", "same", "equal"),
      noteLine(r, s)
    );
    ctx.details.push(
      `History: ${edits} edits sent as updates of ${HISTORY_BATCH} keystrokes through one client; ours stored it as: ${stored}. Room-loaded sync per run (median of its joins, ms) ours ${runList(r, "ours.syncMs")}; reference ${runList(r, "reference.syncMs")}.`
    );
  },
};

export const churnScenario: Scenario = {
  numbers: [4],
  name: "4. Briefings in turn",
  async run(ctx) {
    const opts = ctx.sizes.churn;
    ctx.log(`${opts.briefings} briefings opened and closed in turn (${ctx.method.repeat} runs per side)`);
    const failures: string[] = [];
    const r = await repeat(ctx, "briefings in turn", (order) =>
      pair(ctx, order, async (side) => {
        const c = await churn(side, ctx.joiner, ctx.fixtures, opts);
        if (c.failures.length) failures.push(`${side.kind}: ${c.failures.join("; ")}`);
        return {
          roomsAfter: c.after.rooms,
          heapBefore: c.before.heapUsed,
          heapAfter: c.after.heapUsed,
          heapRatio: c.after.heapUsed / c.before.heapUsed,
          rssBefore: c.before.rss,
          rssAfter: c.after.rss,
          eachMs: c.ms / Math.max(1, c.opened - opts.warmup),
          all: flag(c.opened === c.briefings && c.failures.length === 0),
        };
      })
    );
    const s = `4. ${opts.briefings} briefings opened in turn`;
    ctx.rows.push(
      oursLine(r, s, "rooms in memory after idle", "roomsAfter", (v) => v.toFixed(0), { target: "0", meets: (o) => o === 0, reference: `${r.stats["reference.roomsAfter"]?.median ?? "—"} (never unloads)` }),
      compareLine(r, s, "heap used after idle / before", "heapRatio", (v) => `${v.toFixed(2)}×`, { target: "≤ 1.2× idle", meets: (o) => o <= 1.2, compare: false }),
      compareLine(r, s, "heap used after idle", "heapAfter", fmtMB),
      compareLine(r, s, "RSS after idle", "rssAfter", fmtMB),
      compareLine(r, s, "time to open+edit+close each", "eachMs", (v) => fmtMs(v)),
      allLine(r, s, "every briefing opened", "all", "all"),
      noteLine(r, s)
    );
    if (failures.length) ctx.details.push(`Briefings in turn, failures: ${failures.slice(0, 5).join(" | ")}.`);
  },
};

export const floodScenario: Scenario = {
  numbers: [8],
  name: "8. Pending-update flood",
  async run(ctx) {
    const opts = { ...ctx.sizes.pendingFlood, warmup: 5 };
    ctx.log(`pending-update flood: ${opts.updates} × ${fmtKB(opts.updateBytes)} clock-gap updates (${ctx.method.repeat} runs per side)`);
    const r = await repeat(ctx, "pending flood", (order) =>
      pair(ctx, order, async (side) => {
        const f = await pendingFlood(side, ctx.writer, ctx.receivers, opts.clients, ctx.fixtures, opts);
        return {
          healthMax: f.healthz.max,
          healthP99: f.healthz.p99,
          liveP99: f.live.p99,
          liveAll: flag(f.live.delivered === f.live.expected),
          rssGrowth: f.rssGrowthBytes,
          closes: f.closes.length,
        };
      })
    );
    const s = `8. Pending-update flood, ${opts.clients} clients`;
    ctx.rows.push(
      compareLine(r, s, "/healthz max during flood", "healthMax", (v) => fmtMs(v), { target: "< 100 ms", meets: (o) => o < 100 }),
      compareLine(r, s, "/healthz p99 during flood", "healthP99", (v) => fmtMs(v)),
      compareLine(r, s, "live edit p99 delivery during flood", "liveP99", (v) => fmtMs(v)),
      allLine(r, s, "every live edit delivered", "liveAll", "all"),
      compareLine(r, s, "server RSS growth", "rssGrowth", fmtMB),
      noteLine(r, s)
    );
    ctx.details.push(`Pending-update flood: closes the flooder saw per run, ours ${runList(r, "ours.closes", 0)}; reference ${runList(r, "reference.closes", 0)}.`);
  },
};

