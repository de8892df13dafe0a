import { Worker } from "node:worker_threads";
import { Gauge, Histogram } from "prom-client";
import type { Logger } from "../logger";
import { metricsRegistry } from "../metrics";
import { StoredDocumentCorruptError } from "../persistence/corruption";
import { HistoryUnavailableError } from "./errors";
import type { FromHistoryWorker, HistoryClose, HistoryJob, HistoryResult, HistoryWorkerData } from "./worker-protocol";

export interface HistoryPoolOptions {
  /** The SQLite file the threads open (WAL: a read connection each). */
  databasePath: string;
  /** PostgreSQL: the threads open a pool of two to this URL instead of the file (ADR 0121). */
  databaseUrl?: string | null;
  /**
   * PostgreSQL: connections of each thread's pool.
   * @default 2
   */
  databasePoolMax?: number;
  fullEvery: number;
  /** Threads (HISTORY_WORKERS). */
  workers: number;
  /** Rendered-version cache of each thread, in bytes (HISTORY_CACHE_MB split over the threads). */
  cacheBytes: number;
  /** Rebuilds and comparisons waiting over all threads before more are refused (HISTORY_MAX_QUEUE). */
  maxQueue: number;
  /** Longest a job may run before its thread is ended (HISTORY_TIMEOUT_MS). */
  timeoutMs: number;
  maxMemoryMb: number;
  /** A thread ends after this long without work (0: never), and its cache with it. */
  idleMs: number;
  logger: Logger;
  /**
   * The level of the threads' own log lines (LOG_LEVEL).
   * @default "silent"
   */
  logLevel?: HistoryWorkerData["logLevel"];
}

/** Threads running (starting or ready) over every pool of the process: the server has one. */
const threadsGauge = new Gauge({ name: "summit_history_threads", help: "History threads running (starting or ready)", registers: [metricsRegistry] });

/**
 * Each job's time by type and part: `queued` from the request to the thread taking it (behind other
 * jobs of the lane, or its thread's start), `run` inside the thread (reads, rebuild, comparison,
 * payload). A slow compare page is then attributed without a profiler.
 */
const jobSeconds = new Histogram({
  name: "summit_history_job_seconds",
  help: "History jobs by type (compare, prepare, encode, …) and part (queued: waiting for the thread; run: in the thread)",
  labelNames: ["type", "part"],
  buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [metricsRegistry],
});

type JobBody = HistoryJob extends infer J ? (J extends HistoryJob ? Omit<J, "id"> : never) : never;

interface Pending {
  job: HistoryJob;
  /** Counted against maxQueue: reads people wait for. Encodes of new versions are never refused. */
  bounded: boolean;
  /** performance.now() when it was asked for. */
  asked: number;
  resolve: (r: HistoryResult) => void;
  reject: (e: Error) => void;
}

interface Lane {
  worker: Worker | null;
  ready: boolean;
  queue: Pending[];
  inFlight: { pending: Pending; timer: NodeJS.Timeout } | null;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * A small pool of history threads (worker.ts), started on the first job (or by `warm`, when a
 * History page is requested) and kept warm until HISTORY_WORKER_IDLE_MS without work. A briefing's jobs always go to the same thread (by a hash
 * of its id), so that thread's cache of rendered versions serves its comparisons. Each thread runs
 * one job at a time. A job that overruns its time, or a thread that runs out of heap or crashes,
 * ends that thread only: the job is rejected with HistoryUnavailableError (a 503 with a message),
 * the next job starts a new thread.
 */
export class HistoryPool {
  private readonly lanes: Lane[];
  private nextId = 1;
  private closed = false;
  private waiting = 0;

  constructor(private readonly opts: HistoryPoolOptions) {
    this.lanes = Array.from({ length: Math.max(1, opts.workers) }, () => ({ worker: null, ready: false, queue: [], inFlight: null, idleTimer: null }));
  }

  run(briefingId: string, body: JobBody, bounded: boolean): Promise<HistoryResult> {
    if (this.closed) return Promise.reject(new HistoryUnavailableError("closed", "Version history is shutting down. Try again in a moment."));
    if (bounded && this.waiting >= this.opts.maxQueue) {
      return Promise.reject(new HistoryUnavailableError("busy", "Version history is busy with other comparisons right now. Try again in a moment."));
    }
    const lane = this.lanes[laneOf(briefingId, this.lanes.length)];
    return new Promise<HistoryResult>((resolve, reject) => {
      if (bounded) this.waiting++;
      lane.queue.push({ job: { ...body, id: this.nextId++ } as HistoryJob, bounded, asked: performance.now(), resolve, reject });
      this.pump(lane);
    });
  }

  /**
   * Starts the thread that serves `briefingId`, without a job, when it is not running: its start
   * (module load, database connection) is then paid while a person reads the History page, not by
   * their first comparison (ADR 0110, 2026-12-03). A warmed thread with no work ends after idleMs
   * like any other.
   */
  warm(briefingId: string): void {
    if (this.closed) return;
    const lane = this.lanes[laneOf(briefingId, this.lanes.length)];
    if (!lane.worker) this.start(lane);
  }

  /** Threads running (starting or ready). */
  get threads(): number {
    return this.lanes.filter((l) => l.worker).length;
  }

  /**
   * Refuses new jobs, rejects those waiting, and asks each thread to end its database connections
   * and exit; a thread that has not exited within `graceMs` is terminated.
   */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    const gone = new HistoryUnavailableError("closed", "Version history is shutting down. Try again in a moment.");
    await Promise.all(
      this.lanes.map(async (lane) => {
        for (const p of lane.queue.splice(0)) this.settle(p, () => p.reject(gone));
        if (lane.inFlight) this.finish(lane, (p) => p.reject(gone));
        if (lane.idleTimer) clearTimeout(lane.idleTimer);
        const worker = lane.worker;
        lane.worker = null;
        if (worker) await endThread(worker, graceMs);
      }),
    );
  }

  private pump(lane: Lane): void {
    if (this.closed) return;
    if (lane.idleTimer) clearTimeout(lane.idleTimer);
    lane.idleTimer = null;
    if (!lane.worker) {
      if (lane.queue.length > 0) this.start(lane);
      return;
    }
    if (!lane.ready || lane.inFlight) return;
    const next = lane.queue.shift();
    if (!next) return this.scheduleIdleStop(lane);
    if (next.bounded) this.waiting--;
    const worker = lane.worker;
    const timer = setTimeout(() => {
      this.opts.logger.warn("history", "history job stopped at the time limit", { job: next.job.type, ms: this.opts.timeoutMs });
      lane.worker = null;
      lane.ready = false;
      void worker.terminate();
      this.finish(lane, (p) => p.reject(new HistoryUnavailableError("timeout", `This comparison took longer than ${this.opts.timeoutMs / 1000} s and was stopped. Try two versions closer together.`)));
      this.pump(lane);
    }, this.opts.timeoutMs);
    timer.unref();
    lane.inFlight = { pending: next, timer };
    jobSeconds.observe({ type: next.job.type, part: "queued" }, (performance.now() - next.asked) / 1000);
    worker.postMessage(next.job);
  }

  /** Settles the job in flight (once) and frees the lane. */
  private finish(lane: Lane, how: (p: Pending) => void) {
    const current = lane.inFlight;
    if (!current) return;
    lane.inFlight = null;
    clearTimeout(current.timer);
    how(current.pending);
  }

  private settle(p: Pending, how: () => void) {
    if (p.bounded) this.waiting--;
    how();
  }

  private scheduleIdleStop(lane: Lane): void {
    if (this.opts.idleMs <= 0 || lane.idleTimer || !lane.worker) return;
    lane.idleTimer = setTimeout(() => {
      lane.idleTimer = null;
      const worker = lane.worker;
      if (!worker || lane.inFlight || lane.queue.length > 0) return;
      lane.worker = null; // its exit is then not a crash
      lane.ready = false;
      this.opts.logger.debug("history", "idle: history thread stopped", { idleMs: this.opts.idleMs });
      void worker.terminate();
    }, this.opts.idleMs);
    lane.idleTimer.unref();
  }

  private start(lane: Lane): void {
    const { entry, evaluate } = workerEntry();
    const workerData: HistoryWorkerData = {
      databasePath: this.opts.databasePath,
      databaseUrl: this.opts.databaseUrl ?? null,
      databasePoolMax: this.opts.databasePoolMax ?? 2,
      fullEvery: this.opts.fullEvery,
      cacheBytes: this.opts.cacheBytes,
      logLevel: this.opts.logLevel ?? "silent",
    };
    const worker = new Worker(entry, { eval: evaluate, workerData, resourceLimits: { maxOldGenerationSizeMb: this.opts.maxMemoryMb } });
    // An idle thread must not keep a finished process (a script, a test) alive.
    worker.unref();
    lane.worker = worker;
    lane.ready = false;
    threadsGauge.inc();
    worker.once("exit", () => threadsGauge.dec());
    worker.on("message", (msg: FromHistoryWorker) => this.onMessage(lane, worker, msg));
    worker.on("error", (err) => this.opts.logger.error("history worker failed", err, { job: lane.inFlight?.pending.job.type }));
    worker.on("exit", (code) => this.onExit(lane, worker, code));
  }

  private onMessage(lane: Lane, worker: Worker, msg: FromHistoryWorker): void {
    if (worker !== lane.worker) return;
    if (msg.type === "ready") {
      lane.ready = true;
      return this.pump(lane);
    }
    if (!lane.inFlight || lane.inFlight.pending.job.id !== msg.id) return;
    if (msg.type === "done") {
      jobSeconds.observe({ type: lane.inFlight.pending.job.type, part: "run" }, msg.ms / 1000);
      this.finish(lane, (p) => p.resolve(msg.result));
    } else {
      const err = msg.corrupt ? new StoredDocumentCorruptError(msg.corrupt.briefingId, msg.corrupt.kind, msg.corrupt.detail) : new Error(`history job failed: ${msg.message}`);
      this.finish(lane, (p) => p.reject(err));
    }
    this.pump(lane);
  }

  private onExit(lane: Lane, worker: Worker, code: number): void {
    if (worker !== lane.worker) return; // ended on purpose
    const wasReady = lane.ready;
    lane.worker = null;
    lane.ready = false;
    this.opts.logger.error("history worker exited", undefined, { code, job: lane.inFlight?.pending.job.type });
    const crashed = new HistoryUnavailableError("crashed", "Version history could not finish this: the thread doing it stopped (the brief may be too large for its memory limit). Try again, or compare two versions closer together.");
    this.finish(lane, (p) => p.reject(crashed));
    // A thread that cannot even start would fail every job: those waiting are told now, not after a loop of restarts.
    if (!wasReady) for (const p of lane.queue.splice(0)) this.settle(p, () => p.reject(crashed));
    this.pump(lane);
  }
}

/** Asks a thread to close its connections and exit (worker.ts); terminates it after `graceMs`. */
async function endThread(worker: Worker, graceMs: number): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.postMessage({ type: "close" } satisfies HistoryClose);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
  const how = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (how === "late") await worker.terminate();
}

/** FNV-1a of the briefing id: the same briefing, the same thread. */
function laneOf(briefingId: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < briefingId.length; i++) h = Math.imul(h ^ briefingId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

/** As projection-runner.ts: the bundle beside the compiled server, or the source under tsx. */
function workerEntry(): { entry: string | URL; evaluate: boolean } {
  if (import.meta.url.endsWith(".js")) return { entry: new URL("./history-worker.js", import.meta.url), evaluate: false };
  const source = new URL("./worker.ts", import.meta.url).href;
  return { entry: `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, evaluate: true };
}
