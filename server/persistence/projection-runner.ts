import { Worker } from "node:worker_threads";
import type { Logger } from "../logger";
import { projectionMetrics } from "../metrics";
import type { FromProjectionWorker, ProjectionDatabase, ProjectJob, ProjectionWorkerData } from "./projection-worker-protocol";

export interface ProjectionRunnerOptions {
  database: ProjectionDatabase;
  logLevel: ProjectionWorkerData["logLevel"];
  /** Heap limit of the projection thread; a document that needs more ends the thread, not the server. */
  maxMemoryMb: number;
  /** The thread ends after this long with nothing to do and starts again with the next job (0: never ends). */
  idleMs: number;
  logger: Logger;
}

interface Queued {
  state: Uint8Array;
  why: string;
}

/** A thread that died before it said ready is restarted after this pause, not in a tight loop. */
const RESTART_BACKOFF_MS = 1000;

/**
 * Hands briefing states to one projection thread (projection-worker.ts), one job at a time. At
 * most one projection per briefing is queued: a newer state replaces the queued one (the latest
 * wins; the rows only need the last). A thread that throws or dies is logged and replaced; the job
 * it held is dropped, and the briefing's next settle projects it again.
 */
export class ProjectionRunner {
  private worker: Worker | null = null;
  private ready = false;
  private inFlight: { id: number; briefingId: string; why: string } | null = null;
  private readonly queue = new Map<string, Queued>();
  private nextId = 1;
  private closed = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  /** Set by backfillDone(): the thread ends as soon as it has nothing to do, unless live work came. */
  private backfillOver = false;
  /** A job other than the backfill (a settle, a new briefing) was queued since the thread started. */
  private liveWork = false;

  constructor(private readonly opts: ProjectionRunnerOptions) {}

  /** Queues `state` for projection (replacing a queued older state of the same briefing). */
  project(briefingId: string, state: Uint8Array, why: string): void {
    this.cancelIdleStop();
    if (why !== "backfill") this.liveWork = true;
    // Copied: the room's cached encoding stays the room's; postMessage copies it again across.
    this.queue.set(briefingId, { state, why });
    projectionMetrics.queued.set(this.queue.size);
    this.pump();
  }

  /**
   * The start-up backfill has queued its last briefing. A thread started only for it ends as soon
   * as it is idle instead of staying warm for `idleMs`: a server nobody edits right after start does
   * not hold a second V8 heap for it (docs/decisions/0117). A settle queued meanwhile keeps the usual
   * idle time.
   */
  backfillDone(): void {
    this.backfillOver = true;
    if (this.liveWork || !this.worker || !this.ready || this.inFlight || this.queue.size > 0) return;
    this.cancelIdleStop();
    this.scheduleIdleStop();
  }

  /** Waits (at most `timeoutMs`) for queued and running projections, then ends the thread. */
  async close(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while ((this.inFlight || this.queue.size > 0) && (this.worker || this.restartTimer) && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        setTimeout(resolve, Math.min(50, Math.max(1, deadline - performance.now())));
      });
    }
    this.closed = true;
    this.cancelIdleStop();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.inFlight || this.queue.size > 0) {
      this.opts.logger.warn("projection", "stopping with projections unfinished; they run again when the briefings next load", {
        queued: this.queue.size,
        running: this.inFlight?.briefingId,
      });
    }
    this.queue.clear();
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.closed) return;
    if (!this.worker) {
      if (!this.restartTimer) this.start();
      return;
    }
    if (!this.ready || this.inFlight) return;
    const next = this.queue.entries().next();
    if (next.done) {
      for (const wake of this.idleWaiters.splice(0)) wake();
      this.scheduleIdleStop();
      return;
    }
    const [briefingId, { state, why }] = next.value;
    this.queue.delete(briefingId);
    projectionMetrics.queued.set(this.queue.size);
    const job: ProjectJob = { type: "project", id: this.nextId++, briefingId, state };
    this.inFlight = { id: job.id, briefingId, why };
    this.worker.postMessage(job);
  }

  /**
   * A thread with its own V8 heap, schema and database connection holds ~30 MB; a server whose
   * briefings are not being edited (after the start-up backfill, at night) gives that back.
   */
  private scheduleIdleStop(): void {
    if (this.opts.idleMs <= 0 || this.idleTimer || !this.worker) return;
    const idleMs = this.backfillOver && !this.liveWork ? 0 : this.opts.idleMs;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      const worker = this.worker;
      if (!worker || this.closed || this.inFlight || this.queue.size > 0) return;
      this.worker = null; // onExit then sees a thread ended on purpose
      this.ready = false;
      this.liveWork = false;
      projectionMetrics.workerRunning.set(0);
      this.opts.logger.debug("projection", "idle: thread stopped", { idleMs });
      void worker.terminate();
    }, idleMs);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private start(): void {
    const { entry, evaluate } = workerEntry();
    const workerData: ProjectionWorkerData = { database: this.opts.database, logLevel: this.opts.logLevel };
    const worker = new Worker(entry, { eval: evaluate, workerData, resourceLimits: { maxOldGenerationSizeMb: this.opts.maxMemoryMb } });
    this.worker = worker;
    this.ready = false;
    projectionMetrics.workerStarts.inc();
    projectionMetrics.workerRunning.set(1);
    worker.on("message", (msg: FromProjectionWorker) => this.onMessage(worker, msg));
    worker.on("error", (err) => this.opts.logger.error("projection worker failed", err, { briefingId: this.inFlight?.briefingId }));
    worker.on("exit", (code) => this.onExit(worker, code));
  }

  private onMessage(worker: Worker, msg: FromProjectionWorker): void {
    if (worker !== this.worker) return;
    if (msg.type === "ready") {
      this.ready = true;
      this.pump();
      return;
    }
    const job = this.inFlight;
    if (!job || job.id !== msg.id) return;
    this.inFlight = null;
    const { briefingId, why } = job;
    projectionMetrics.seconds.observe(msg.ms / 1000);
    if (msg.type === "failed") {
      // A projection failure must never disturb the room; the next settle retries.
      projectionMetrics.projections.inc({ outcome: "failed" });
      this.opts.logger.error("projection failed", new Error(msg.message), { briefingId, why });
    } else if (msg.result) {
      const r = msg.result;
      projectionMetrics.projections.inc({ outcome: "projected" });
      projectionMetrics.lockSeconds.observe(r.lockMs / 1000);
      this.opts.logger.debug("projection", "projected", {
        briefingId,
        why,
        quotes: r.quotes,
        topics: r.topics,
        facts: r.facts,
        skipped: r.skipped,
        rowsWritten: r.rowsWritten,
        searchUpdated: r.searchUpdated,
        ms: Math.round(msg.ms),
        lockMs: Math.round(r.lockMs * 100) / 100,
      });
      if (r.skipped > 0) this.opts.logger.warn("projection", "blocks without a unique id were not projected", { briefingId, skipped: r.skipped });
    } else {
      projectionMetrics.projections.inc({ outcome: "gone" });
    }
    this.pump();
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return; // terminated on purpose
    const wasReady = this.ready;
    const lost = this.inFlight;
    this.worker = null;
    this.ready = false;
    this.inFlight = null;
    projectionMetrics.workerExits.inc();
    projectionMetrics.workerRunning.set(0);
    if (lost) projectionMetrics.projections.inc({ outcome: "failed" });
    this.opts.logger.error("projection worker exited; starting a new one", undefined, { code, briefingId: lost?.briefingId, why: lost?.why });
    if (this.closed) return;
    if (wasReady) return this.pump();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.pump();
    }, RESTART_BACKOFF_MS);
    this.restartTimer.unref();
  }
}

/**
 * The thread's entry. In the compiled server (`build/server/index.js`) it is the bundle
 * `projection-worker.js` beside it. From source (scripts and unit tests under tsx) it is
 * `projection-worker.ts`, loaded by a small script that registers tsx in the thread first: on
 * Node 20 a worker inherits neither the parent's loader hooks nor `--import` in its execArgv.
 */
function workerEntry(): { entry: string | URL; evaluate: boolean } {
  if (import.meta.url.endsWith(".js")) return { entry: new URL("./projection-worker.js", import.meta.url), evaluate: false };
  const source = new URL("./projection-worker.ts", import.meta.url).href;
  return { entry: `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, evaluate: true };
}
