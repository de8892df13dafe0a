// The benchmark scenarios. Each drives stock y-websocket clients in client processes against one
// server (ours or the reference) and returns plain numbers; index.ts compares and reports them.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import WebSocket from "ws";
import { updateMessage } from "../../server/collab/protocol";
import type { DemoRole } from "../../test/helpers/http";
import { BRIEFINGS, historyUpdates, storedDocument, type Fixtures, type StoredCounts } from "./fixtures";
import { gapUpdates } from "../../test/helpers/gap-updates";
import { metricValue } from "../../test/helpers/yclient";
import { METRICS_TOKEN, cpuSecondsBetween, cpuSecondsSince, procStat, type ClientProcess } from "./processes";
import { RECEIVER_ROLES, cpuMarkOf, type MemoryReading, type Side } from "./sides";
import { median, nowMs, percentile, sleep } from "./util";

/** Receivers per client process: few enough that one event loop does not dominate the latency. */
export const RECEIVERS_PER_PROCESS = 8;

let nextSeq = 1;

// ---------------------------------------------------------------- live fan-out

export interface LatencyResult {
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
}

export interface FanoutResult extends LatencyResult {
  clients: number;
  cpuPerUpdateUs: number;
  peakRssBytes: number;
}

export interface FanoutOptions {
  edits: number;
  warmup: number;
  intervalMs: number;
}

/** A latency probe on one briefing: a writer process and receivers spread over `receivers` processes. */
export class LatencyProbe {
  private readonly used: ClientProcess[];
  private readonly key: string;

  constructor(
    private readonly side: Side,
    private readonly room: string,
    private readonly writer: ClientProcess,
    receivers: ClientProcess[],
    private readonly clients: number
  ) {
    this.used = receivers.slice(0, Math.ceil(clients / RECEIVERS_PER_PROCESS));
    this.key = `probe-${side.kind}-${room}-${clients}-${nextSeq}`;
  }

  /** An opened probe whose warm-up edits (discarded) have gone through. */
  static async warmed(
    side: Side,
    room: string,
    writer: ClientProcess,
    receivers: ClientProcess[],
    clients: number,
    fixtures: Fixtures,
    opts: FanoutOptions
  ): Promise<LatencyProbe> {
    const probe = new LatencyProbe(side, room, writer, receivers, clients);
    await probe.open(fixtures.seedState);
    await probe.run(opts.warmup, opts.intervalMs);
    return probe;
  }

  async open(seedState: Uint8Array): Promise<void> {
    const { side, room, key } = this;
    await this.writer.call("connect", { ...side.target(room, "owner"), key, count: 1, seedState: side.seed(seedState) });
    await Promise.all(
      this.used.map((p, i) =>
        p.call("connect", {
          ...side.target(room, RECEIVER_ROLES[i % RECEIVER_ROLES.length]),
          key,
          count: Math.min(RECEIVERS_PER_PROCESS, this.clients - i * RECEIVERS_PER_PROCESS),
        })
      )
    );
    await Promise.all(this.used.map((p) => p.call("armLatency", { key })));
  }

  /** Writes `edits` markers `intervalMs` apart and returns delivery latencies (send → arrival at each receiver). */
  async run(edits: number, intervalMs: number): Promise<LatencyResult> {
    const firstSeq = nextSeq;
    nextSeq += edits;
    const { sends } = await this.writer.call<{ sends: [number, number][] }>("write", { key: this.key, count: edits, firstSeq, intervalMs });
    const lastMarker = `«${firstSeq + edits - 1}»`;
    await Promise.all(this.used.map((p) => p.call("waitText", { key: this.key, includes: lastMarker, timeoutMs: 10_000 }, 20_000)));
    const replies = await Promise.all(this.used.map((p) => p.call<{ perClient: [number, number][][] }>("arrivals", { key: this.key })));
    const sentAt = new Map(sends);
    const latencies: number[] = [];
    for (const reply of replies) {
      for (const arrivals of reply.perClient) {
        for (const [seq, at] of arrivals) {
          const sent = sentAt.get(seq);
          if (sent !== undefined) latencies.push(at - sent);
        }
      }
    }
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      delivered: latencies.length,
      expected: edits * this.clients,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.writer, ...this.used].map((p) => p.call("destroy", { key: this.key })));
  }
}

export async function fanout(
  side: Side,
  writer: ClientProcess,
  receivers: ClientProcess[],
  clients: number,
  fixtures: Fixtures,
  opts: FanoutOptions
): Promise<FanoutResult> {
  // The previous size's clients left, so ours unloads the room: its settle (projection) and history
  // version run now, starting their threads if idle (~1 s of CPU each). That is the unload's cost,
  // not this size's deliveries, so the warm-up waits until the server is idle again.
  await serverIdle(side);
  const probe = await LatencyProbe.warmed(side, BRIEFINGS.fanout, writer, receivers, clients, fixtures, opts);
  const cpu0 = cpuMarkOf(side);
  const result = await probe.run(opts.edits, opts.intervalMs);
  const cpu = cpuSecondsSince(cpu0);
  await probe.close();
  return {
    ...result,
    clients,
    cpuPerUpdateUs: result.delivered > 0 ? (cpu / result.delivered) * 1e6 : Number.NaN,
    peakRssBytes: procStat(side.server.pid).peakRssBytes,
  };
}

// ---------------------------------------------------------------- concurrent typists

export interface TypingResult {
  typists: number;
  edits: number;
  converged: boolean;
  convergeMs: number;
  /** A fresh client (after a restart, for ours) holds exactly what the typists hold. */
  storedEqual: boolean;
  note: string;
}

type StateVector = Record<string, number>;

function mergeStateVectors(list: StateVector[]): StateVector {
  const out: StateVector = {};
  for (const sv of list) for (const [id, clock] of Object.entries(sv)) out[id] = Math.max(out[id] ?? 0, clock);
  return out;
}

export async function typing(
  side: Side,
  procs: ClientProcess[],
  joiner: ClientProcess,
  fixtures: Fixtures,
  opts: { typists: number; edits: number; minMs: number; maxMs: number },
  /** Ours: SIGTERM the server and start it again on the same database; returns the new side. */
  restart: ((side: Side) => Promise<Side>) | null
): Promise<{ result: TypingResult; side: Side }> {
  const key = `typing-${side.kind}`;
  const room = BRIEFINGS.typing;
  const perProcess = Math.ceil(opts.typists / procs.length);
  const roleOf = (i: number): DemoRole => (i % 2 === 0 ? "owner" : "editor");
  // The first process seeds the reference; the others join once the document is there.
  await procs[0].call("connect", { ...side.target(room, roleOf(0)), key, count: perProcess, seedState: side.seed(fixtures.seedState) });
  await Promise.all(procs.slice(1).map((p, i) => p.call("connect", { ...side.target(room, roleOf(i + 1)), key, count: perProcess })));
  await Promise.all(procs.map((p) => p.call("waitText", { key, includes: "Purpose", timeoutMs: 10_000 })));
  const typed = await Promise.all(
    procs.map((p, i) =>
      p.call<{ lastSend: number; stateVectors: StateVector[] }>(
        "type",
        { key, edits: opts.edits, minMs: opts.minMs, maxMs: opts.maxMs, seed: i + 1 },
        opts.edits * opts.maxMs * 2 + 30_000
      )
    )
  );
  const target = mergeStateVectors(typed.flatMap((t) => t.stateVectors));
  const lastSend = Math.max(...typed.map((t) => t.lastSend));
  const states = await Promise.all(
    procs.map((p) => p.call<{ reachedAt: number[]; digests: string[] }>("awaitState", { key, target, timeoutMs: 30_000 }, 60_000))
  );
  const reached = states.flatMap((s) => s.reachedAt);
  const digests = states.flatMap((s) => s.digests);
  const converged = reached.every(Number.isFinite) && new Set(digests).size === 1;
  await Promise.all(procs.map((p) => p.call("destroy", { key })));

  let current = side;
  let note: string;
  if (restart) {
    // Let the group commit take the last updates, then restart: what a fresh client gets is what was stored.
    await sleep(300);
    current = await restart(side);
    note = "fresh client after SIGTERM + restart";
  } else {
    note = "fresh client, same process (no persistence)";
  }
  const joined = await joiner.call<{ runs: { digest: string }[] }>("join", { ...current.target(room, "viewer"), repeats: 1, pauseMs: 0 });
  return {
    side: current,
    result: {
      typists: perProcess * procs.length,
      edits: opts.edits,
      converged,
      convergeMs: Math.max(...reached) - lastSend,
      storedEqual: converged && joined.runs[0].digest === digests[0],
      note,
    },
  };
}

// ---------------------------------------------------------------- join with long history

export interface HistoryResult {
  edits: number;
  updates: number;
  /** Median full-sync time of a new client while the room is loaded. */
  syncMs: number;
  syncRunsMs: number[];
  /** Median time to the socket being open, and to the full state (the largest message) arriving. */
  openMs: number;
  stateArrivedMs: number;
  bytes: number;
  /** Ours: the first join after the room was unloaded (loads the compacted snapshot). */
  coldSyncMs: number | null;
  /** Server CPU (utime+stime, all threads) during that cold join, in ms. */
  coldCpuMs: number | null;
  /** Server CPU per join while the room is loaded, in ms (all warm joins over their count). */
  warmCpuMs: number;
  compacted: string;
  sameContent: boolean;
}

/** Keystrokes per update sent while building the history (a real editor sends one per keystroke). */
export const HISTORY_BATCH = 100;

const cachedHistory = new Map<string, string[]>();

function historyBatches(fixtures: Fixtures, edits: number, randomPositions: boolean): string[] {
  const key = `${edits}:${randomPositions}`;
  let updates = cachedHistory.get(key);
  if (!updates) {
    updates = historyUpdates(fixtures.templateState, edits, HISTORY_BATCH, randomPositions).map((u) => Buffer.from(u).toString("base64"));
    cachedHistory.set(key, updates);
  }
  return updates;
}

/**
 * Sends the history (the same updates each time) through one writer, checks that a second client
 * got all of it, and returns what the writer holds. The clients stay connected.
 */
export async function writeHistory(
  side: Side,
  writer: ClientProcess,
  checker: ClientProcess,
  fixtures: Fixtures,
  opts: { edits: number; randomPositions?: boolean }
): Promise<{ room: string; updates: number; sent: { stateVector: StateVector; digest: string } }> {
  const room = opts.randomPositions ? BRIEFINGS.historyRandom : BRIEFINGS.history;
  const updates = historyBatches(fixtures, opts.edits, opts.randomPositions ?? false);
  await writer.call("connect", { ...side.target(room, "owner"), key: "hist-w", count: 1, seedState: side.seed(fixtures.templateState) });
  await checker.call("connect", { ...side.target(room, "editor"), key: "hist-c", count: 1 });
  const sent = await writer.call<{ stateVector: StateVector; digest: string }>(
    "sendUpdates",
    { key: "hist-w", updates, intervalMs: 3 },
    120_000
  );
  const check = await checker.call<{ reachedAt: number[] }>(
    "awaitState",
    { key: "hist-c", target: sent.stateVector, timeoutMs: 60_000 },
    90_000
  );
  if (!check.reachedAt.every(Number.isFinite)) throw new Error(`${side.kind}: the history did not reach a second client`);
  return { room, updates: updates.length, sent };
}

/** Reads what a database of ours holds of a briefing's document. */
export type StoredReader = (briefingId: string) => StoredCounts | Promise<StoredCounts>;

/**
 * Waits (at most 30 s) until our server has no room loaded and the briefing's update log is folded
 * into its snapshot, then until the server is idle; returns what is stored.
 */
export async function awaitCompactedAndUnloaded(side: Side, stored: StoredReader, room: string): Promise<StoredCounts> {
  const deadline = Date.now() + 30_000;
  let counts = await stored(room);
  while ((counts.logRows > 0 || (await side.memory()).rooms > 0) && Date.now() < deadline) {
    await sleep(100);
    counts = await stored(room);
  }
  // The unload leaves work behind (the last projection, a history version, the projection thread
  // starting again after idling): let it finish, so the join's CPU is the join's own.
  await serverIdle(side);
  return counts;
}

export async function history(
  side: Side,
  writer: ClientProcess,
  checker: ClientProcess,
  joiner: ClientProcess,
  fixtures: Fixtures,
  databasePath: string,
  opts: { edits: number; joins: number; randomPositions?: boolean }
): Promise<HistoryResult> {
  const { room, updates, sent } = await writeHistory(side, writer, checker, fixtures, opts);
  let coldSyncMs: number | null = null;
  let coldCpuMs: number | null = null;
  let compacted = "n/a (no persistence)";
  if (side.kind === "ours") {
    // Everyone leaves: the room stores, compacts and unloads. Wait until storage shows it.
    await Promise.all([writer.call("destroy", { key: "hist-w" }), checker.call("destroy", { key: "hist-c" })]);
    const stored = await awaitCompactedAndUnloaded(side, (id) => storedDocument(databasePath, id), room);
    compacted = `${stored.logRows} log rows, snapshot ${(stored.snapshotBytes / 1024).toFixed(0)} KB`;
    const cpu0 = cpuMarkOf(side);
    const cold = await joiner.call<{ runs: { ms: number }[] }>("join", { ...side.target(room, "viewer"), repeats: 1, pauseMs: 0 }, 60_000);
    coldCpuMs = cpuSecondsSince(cpu0) * 1000;
    coldSyncMs = cold.runs[0].ms;
    // Keep the room loaded for the measured joins, as it is while people work in it.
    await checker.call("connect", { ...side.target(room, "editor"), key: "hist-c", count: 1 });
  }
  await sleep(200);
  const warmCpu0 = cpuMarkOf(side);
  const warm = await joiner.call<{ runs: { ms: number; openMs: number; largestMs: number; bytes: number; digest: string }[] }>(
    "join",
    { ...side.target(room, "viewer"), repeats: opts.joins, pauseMs: 100 },
    120_000
  );
  // The pauses between joins are idle for the server (a room loaded, nothing changing).
  const warmCpuMs = (cpuSecondsSince(warmCpu0) * 1000) / Math.max(1, warm.runs.length);
  await Promise.all([writer.call("destroy", { key: "hist-w" }), checker.call("destroy", { key: "hist-c" })]);
  const runs = warm.runs.map((r) => r.ms);
  return {
    edits: opts.edits,
    updates,
    syncMs: median(runs),
    syncRunsMs: runs,
    openMs: median(warm.runs.map((r) => r.openMs)),
    stateArrivedMs: median(warm.runs.map((r) => r.largestMs)),
    bytes: warm.runs[0].bytes,
    coldSyncMs,
    coldCpuMs,
    warmCpuMs,
    compacted,
    sameContent: warm.runs.every((r) => r.digest === sent.digest),
  };
}

/**
 * Waits until the server used at most `maxCpuMs` of CPU over `windowMs` (its deferred work is
 * done), at most `timeoutMs`; resolves either way (a busy server only makes the figure worse).
 */
export async function serverIdle(side: Side, opts = { windowMs: 300, maxCpuMs: 20, timeoutMs: 20_000 }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let before = cpuMarkOf(side);
  while (Date.now() < deadline) {
    await sleep(opts.windowMs);
    const now = cpuMarkOf(side);
    if (cpuSecondsBetween(before, now) * 1000 <= opts.maxCpuMs) return;
    before = now;
  }
}

// ---------------------------------------------------------------- many briefings opened in turn

export interface ChurnResult {
  briefings: number;
  opened: number;
  failures: string[];
  ms: number;
  before: MemoryReading;
  after: MemoryReading;
}

export async function churn(
  side: Side,
  client: ClientProcess,
  fixtures: Fixtures,
  opts: { briefings: number; warmup: number; idleMs: number }
): Promise<ChurnResult> {
  const rooms = Array.from({ length: opts.briefings }, (_, i) => BRIEFINGS.churn(i));
  const target = side.target("", "owner");
  const seedState = side.seed(fixtures.templateState);
  // Warm up the code paths on a few briefings, then let the server idle before the baseline.
  await client.call("churn", { ...target, rooms: rooms.slice(0, opts.warmup), seedState, timeoutMs: 30_000 });
  const before = await idleReading(side, opts.idleMs);
  const run = await client.call<{ ok: number; failures: string[]; ms: number }>(
    "churn",
    { ...target, rooms: rooms.slice(opts.warmup), seedState, timeoutMs: 180_000 },
    200_000
  );
  const after = await idleReading(side, opts.idleMs);
  return { briefings: opts.briefings, opened: run.ok + opts.warmup, failures: run.failures, ms: run.ms, before, after };
}

/**
 * Waits `idleMs` with nothing connected and without scraping (scrapes allocate, and V8 only runs its
 * idle-time collection when allocation stops), then takes three readings a second apart; heap is the
 * lowest of them.
 */
async function idleReading(side: Side, idleMs: number): Promise<MemoryReading> {
  await sleep(idleMs);
  const readings: MemoryReading[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(1000);
    readings.push(await side.memory());
  }
  const last = readings[readings.length - 1];
  return { rooms: last.rooms, heapUsed: Math.min(...readings.map((r) => r.heapUsed)), rss: last.rss };
}

// ---------------------------------------------------------------- PDF export

export interface ExportTimings {
  available: boolean;
  status: string;
  coldMs: number | null;
  warmMs: number | null;
  warmRunsMs: number[];
  bytes: number;
  peakWorkerRssBytes: number | null;
}

/** Children of a process (the PDF render processes of our server). */
function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Exports the 50-page brief through GET /briefings/:id/export.pdf, cold once then warm `warm` times. */
export async function exportOverHttp(side: Side, warm: number): Promise<ExportTimings> {
  const { cookie } = side.target("", "owner");
  const url = `${side.server.url}/briefings/${BRIEFINGS.pdf}/export.pdf`;
  let peak = 0;
  const sampler = setInterval(() => {
    for (const pid of childPids(side.server.pid)) {
      try {
        peak = Math.max(peak, procStat(pid).peakRssBytes);
      } catch {
        /* exited */
      }
    }
  }, 50);
  try {
    const once = async () => {
      const t0 = nowMs();
      const res = await fetch(url, { headers: { Cookie: cookie ?? "" } });
      const body = new Uint8Array(await res.arrayBuffer());
      const ms = nowMs() - t0;
      const type = res.headers.get("content-type") ?? "";
      if (res.status !== 200 || !type.includes("pdf")) throw new Error(`export answered ${res.status} ${type}`);
      return { ms, bytes: body.byteLength };
    };
    const cold = await once();
    const runs: number[] = [];
    for (let i = 0; i < warm; i++) runs.push((await once()).ms);
    return {
      available: true,
      status: "ok",
      coldMs: cold.ms,
      warmMs: median(runs),
      warmRunsMs: runs,
      bytes: cold.bytes,
      peakWorkerRssBytes: peak || null,
    };
  } catch (err) {
    return {
      available: false,
      status: (err as Error).message,
      coldMs: null,
      warmMs: null,
      warmRunsMs: [],
      bytes: 0,
      peakWorkerRssBytes: null,
    };
  } finally {
    clearInterval(sampler);
  }
}

export interface ExportLatencyResult {
  idle: LatencyResult;
  duringExport: LatencyResult;
  exportsDuring: number;
}

/** Live-edit latency to `clients` receivers, first alone, then while exports run back to back. */
export async function latencyDuringExport(
  side: Side,
  writer: ClientProcess,
  receivers: ClientProcess[],
  clients: number,
  fixtures: Fixtures,
  opts: FanoutOptions
): Promise<ExportLatencyResult> {
  const probe = await LatencyProbe.warmed(side, BRIEFINGS.pdfLive, writer, receivers, clients, fixtures, opts);
  const idle = await probe.run(opts.edits, opts.intervalMs);
  const { cookie } = side.target("", "owner");
  const url = `${side.server.url}/briefings/${BRIEFINGS.pdf}/export.pdf`;
  let exporting = true;
  let exportsDuring = 0;
  const loop = (async () => {
    while (exporting) {
      const res = await fetch(url, { headers: { Cookie: cookie ?? "" } });
      await res.arrayBuffer();
      if (res.status !== 200) break;
      exportsDuring++;
    }
  })();
  // Let the first export start before the measured edits.
  await sleep(50);
  const duringExport = await probe.run(opts.edits, opts.intervalMs);
  exporting = false;
  await loop;
  await probe.close();
  return { idle, duringExport, exportsDuring };
}

export interface ProjectionLatencyResult {
  idle: LatencyResult;
  duringProjection: LatencyResult;
  /** Projections the server finished while the measured edits ran (from its /metrics). */
  projectionsDuring: number;
}

/**
 * Live-edit latency to `clients` receivers of one briefing, first alone, then while another client
 * edits the 50-page brief once per settle period, so the server projects it again and again
 * (PROJECTION_DEBOUNCE_MS after each edit). Ours only: the reference projects nothing.
 */
export async function latencyDuringProjection(
  side: Side,
  writer: ClientProcess,
  bigWriter: ClientProcess,
  receivers: ClientProcess[],
  clients: number,
  fixtures: Fixtures,
  opts: FanoutOptions & { settleMs: number }
): Promise<ProjectionLatencyResult> {
  const probe = await LatencyProbe.warmed(side, BRIEFINGS.projectionLive, writer, receivers, clients, fixtures, opts);
  const idle = await probe.run(opts.edits, opts.intervalMs);
  const key = `projection-${nextSeq}`;
  await bigWriter.call("connect", { ...side.target(BRIEFINGS.pdf, "editor"), key, count: 1 });
  const projected = () => metricValue(side.server.url, METRICS_TOKEN, "summit_projections_total", '{outcome="projected"}');
  const before = await projected();
  let editing = true;
  const loop = (async () => {
    while (editing) {
      const firstSeq = nextSeq++;
      await bigWriter.call("write", { key, count: 1, firstSeq, intervalMs: 0 });
      // Past the debounce, so each edit settles and is projected.
      await sleep(opts.settleMs + 100);
    }
  })();
  await sleep(opts.settleMs + 150);
  const duringProjection = await probe.run(opts.edits, opts.intervalMs);
  const projectionsDuring = (await projected()) - before;
  editing = false;
  await loop;
  await bigWriter.call("destroy", { key });
  await probe.close();
  return { idle, duringProjection, projectionsDuring };
}

// ---------------------------------------------------------------- editor page

export interface PageResult {
  renderMs: number;
  renderRunsMs: number[];
  editorGzipBytes: number;
  editorFiles: number;
  lazy: boolean;
}

const STATIC_IMPORT = /(?:import|export)\s*(?:[\w${},*\s]+from\s*)?"(\/build\/[^"]+\.js)"/g;

/** Static-import closure of a built client module (paths as served under /build/). */
function importClosure(clientDir: string, start: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const source = fs.readFileSync(path.join(clientDir, url.replace(/^\/build\//, "")), "utf8");
    for (const m of source.matchAll(STATIC_IMPORT)) queue.push(m[1]);
  }
  return seen;
}

/**
 * Server render time of the briefing page (median of `runs`, after one warm-up) and the gzipped
 * JavaScript the editor adds on top of what the page loads first: the static-import closure of the
 * lazily loaded `briefing-editor.client` chunk minus the route's own closure.
 */
export async function editorPage(side: Side, clientDir: string, runs: number): Promise<PageResult> {
  const { cookie } = side.target("", "owner");
  const url = `${side.server.url}/briefings/${BRIEFINGS.fanout}`;
  const renderRunsMs: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = nowMs();
    const res = await fetch(url, { headers: { Cookie: cookie ?? "" } });
    const html = await res.text();
    if (res.status !== 200 || !html.includes("<html")) throw new Error(`briefing page answered ${res.status}`);
    if (i > 0) renderRunsMs.push(nowMs() - t);
  }
  const manifestFile = fs.readdirSync(clientDir).find((f) => /^manifest-.*\.js$/.test(f));
  const editorFile = fs.readdirSync(path.join(clientDir, "_shared")).find((f) => f.startsWith("briefing-editor.client-"));
  if (!manifestFile || !editorFile) throw new Error("no manifest or editor chunk in the client build");
  const manifest = JSON.parse(
    fs
      .readFileSync(path.join(clientDir, manifestFile), "utf8")
      .replace(/^window\.__remixManifest=/, "")
      .replace(/;\s*$/, "")
  ) as {
    entry: { module: string; imports: string[] };
    routes: Record<string, { module: string; imports?: string[] }>;
  };
  const route = manifest.routes["routes/briefings.$briefingId"];
  const root = manifest.routes.root;
  const initial = importClosure(clientDir, [
    manifest.entry.module,
    ...manifest.entry.imports,
    root.module,
    ...(root.imports ?? []),
    route.module,
    ...(route.imports ?? []),
  ]);
  const editor = [...importClosure(clientDir, [`/build/_shared/${editorFile}`])].filter((u) => !initial.has(u));
  const gzip = editor.reduce((n, u) => n + zlib.gzipSync(fs.readFileSync(path.join(clientDir, u.replace(/^\/build\//, "")))).byteLength, 0);
  return {
    renderMs: median(renderRunsMs),
    renderRunsMs,
    editorGzipBytes: gzip,
    editorFiles: editor.length,
    lazy: !initial.has(`/build/_shared/${editorFile}`),
  };
}

// ---------------------------------------------------------------- durability

/** Ours: an edit, `waitMs` of quiet, kill -9, restart; is the edit there? */
export async function durability(
  side: Side,
  writer: ClientProcess,
  joiner: ClientProcess,
  fixtures: Fixtures,
  waitMs: number,
  restart: () => Promise<Side>
): Promise<{ survived: boolean; side: Side }> {
  const room = BRIEFINGS.pdfLive;
  const marker = `«durable-${Date.now()}»`;
  await writer.call("connect", { ...side.target(room, "owner"), key: "durable", count: 1, seedState: side.seed(fixtures.seedState) });
  await writer.call("insertText", { key: "durable", text: marker });
  await sleep(waitMs);
  side.server.child.kill("SIGKILL");
  await new Promise((resolve) =>
    side.server.child.exitCode !== null || side.server.child.signalCode ? resolve(null) : side.server.child.once("exit", resolve)
  );
  await writer.call("destroy", { key: "durable" });
  const next = await restart();
  const joined = await joiner.call<{ runs: { text: string }[] }>("join", {
    ...next.target(room, "viewer"),
    repeats: 1,
    pauseMs: 0,
    withText: true,
  });
  return { survived: joined.runs[0].text.includes(marker), side: next };
}

// ---------------------------------------------------------------- pending-update flood

export interface PendingFloodOptions extends FanoutOptions {
  /** Updates sent by the flooder, each starting at a clock the server does not have. */
  updates: number;
  updateBytes: number;
  gapMs: number;
}

export interface PendingFloodResult {
  healthz: { p50: number; p99: number; max: number; samples: number };
  live: LatencyResult;
  sent: number;
  /** Close codes the flooder saw (it reconnects after each, as a hostile client would). */
  closes: number[];
  rssGrowthBytes: number;
}

/**
 * GET with one retry when a kept-alive connection was closed by the server just as it was reused
 * (undici: "other side closed"); any other failure, or a second one, is thrown.
 */
async function getOnce(url: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (attempt > 0 || code !== "UND_ERR_SOCKET") throw err;
    }
  }
}

/**
 * One socket floods updates whose dependencies are missing (Yjs parks them as pending structures)
 * while /healthz is polled back to back and a writer's live edits are timed to receivers.
 */
export async function pendingFlood(
  side: Side,
  writer: ClientProcess,
  receivers: ClientProcess[],
  clients: number,
  fixtures: Fixtures,
  opts: PendingFloodOptions
): Promise<PendingFloodResult> {
  const probe = await LatencyProbe.warmed(side, BRIEFINGS.fanout, writer, receivers, clients, fixtures, opts);
  const rss0 = procStat(side.server.pid).rssBytes;
  const messages = gapUpdates(opts.updates, opts.updateBytes).map((u) => updateMessage(u));
  const target = side.target(BRIEFINGS.fanout, "owner");
  const closes: number[] = [];
  let sent = 0;
  let flooding = true;
  const flood = (async () => {
    while (flooding && sent < messages.length) {
      const headers: Record<string, string> = {};
      if (target.cookie) headers.Cookie = target.cookie;
      if (target.origin) headers.Origin = target.origin;
      const ws = new WebSocket(`${target.wsUrl}/${target.room}`, { headers });
      ws.on("error", () => {});
      const closed = new Promise<void>((resolve) => ws.once("close", (code) => (closes.push(code), resolve())));
      await new Promise((resolve) => (ws.once("open", resolve), ws.once("close", resolve)));
      while (flooding && sent < messages.length && ws.readyState === WebSocket.OPEN) {
        ws.send(messages[sent++]);
        await sleep(opts.gapMs);
      }
      if (ws.readyState === WebSocket.OPEN) ws.close();
      await closed;
    }
  })();
  const healthUrl = side.kind === "ours" ? `${side.server.url}/healthz` : `${side.server.url}/`;
  await getOnce(healthUrl); // the first request opens the connection: not measured
  const latencies: number[] = [];
  const polling = (async () => {
    while (flooding) {
      const t = nowMs();
      // A pooled connection the server closed as idle is answered by a new one: timed from the first try.
      await getOnce(healthUrl);
      latencies.push(nowMs() - t);
    }
  })();
  let floodDone = false;
  void flood.finally(() => (floodDone = true));
  // Live edits in rounds until the flood has sent everything (or been refused for good).
  const rounds: LatencyResult[] = [];
  do rounds.push(await probe.run(opts.edits, opts.intervalMs));
  while (!floodDone);
  flooding = false;
  await Promise.all([flood, polling]);
  const live: LatencyResult = {
    p50: median(rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)), // per-round p99s: the worst one, conservatively
    max: Math.max(...rounds.map((r) => r.max)),
    delivered: rounds.reduce((n, r) => n + r.delivered, 0),
    expected: rounds.reduce((n, r) => n + r.expected, 0),
  };
  const rssGrowthBytes = procStat(side.server.pid).rssBytes - rss0;
  await probe.close();
  return {
    healthz: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), samples: latencies.length },
    live,
    sent,
    closes,
    rssGrowthBytes,
  };
}

