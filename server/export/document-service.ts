import { Worker } from "node:worker_threads";
import { Histogram } from "prom-client";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { metricsRegistry } from "../metrics";
import type { DocumentFormat, DocumentJob, FromDocumentWorker, ToDocumentWorker } from "./docx-worker-protocol";
import { PdfExportError } from "./errors";

export type { DocumentFormat, DocumentJob };

/** A written file; `contentHash` when the job asked for a draft's hash (`hashFields`). */
export interface DocumentResult {
  bytes: Uint8Array;
  ms: number;
  contentHash?: string;
}

/** `context.services.documents`: Word and Markdown exports, written in one worker thread. */
export interface DocumentService {
  /** Resolves with the file, or rejects with a `PdfExportError` (timeout, busy, closed, crashed). */
  render(job: DocumentJob): Promise<DocumentResult>;
  close(): Promise<void>;
}

const exportSeconds = new Histogram({
  name: "summit_document_export_seconds",
  help: "Word and Markdown exports by format and outcome, queueing included",
  labelNames: ["format", "outcome"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [metricsRegistry],
});

interface Pending {
  id: number;
  job: DocumentJob;
  resolve(v: DocumentResult): void;
  reject(err: Error): void;
}

/**
 * One thread, one job at a time, in arrival order. A job over the time limit ends the thread (the
 * only way to stop synchronous work) and the next job gets a fresh one; so does a crash. The thread
 * starts with the first export and ends after `idleMs` without one (docs/decisions/0117): its V8
 * heap, docx and fonts are some 30 MB a server that is not exporting need not hold.
 */
class DocumentThread {
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private current: { p: Pending; timer: NodeJS.Timeout | null } | null = null;
  /** The thread has loaded its modules and fonts; time limits count from then. */
  private ready = false;
  private nextId = 1;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: { timeoutMs: number; maxQueue: number; maxMemoryMb: number; idleMs: number; logger?: Logger },
  ) {}

  render(job: DocumentJob): Promise<DocumentResult> {
    if (this.closed) return Promise.reject(new PdfExportError("closed", "The server is shutting down; try the export again in a moment."));
    // `maxQueue` counts exports waiting behind the running one; an idle thread always takes one.
    if (this.current && this.queue.length >= this.opts.maxQueue) {
      return Promise.reject(new PdfExportError("busy", "Too many exports are waiting; try again in a moment."));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const p = this.queue.shift();
    if (!p) return this.scheduleIdleStop();
    this.cancelIdleStop();
    const worker = this.worker ?? this.start();
    this.current = { p, timer: null };
    const msg: ToDocumentWorker = { type: "render", id: p.id, job: p.job };
    worker.postMessage(msg);
    if (this.ready) this.armTimer();
  }

  /**
   * The time limit of the running job. A fresh thread's start (module load, fonts) is not counted:
   * with a tight limit on a busy machine, every restart would otherwise time out again.
   */
  private armTimer(): void {
    const current = this.current;
    if (!current || current.timer) return;
    const { p } = current;
    current.timer = setTimeout(() => {
      this.opts.logger?.warn("export", "document export over its time limit; restarting the thread", { format: p.job.format });
      this.finish(p.id, new PdfExportError("timeout", `The export took longer than ${this.opts.timeoutMs} ms and was stopped.`));
      this.stopWorker();
      this.pump();
    }, this.opts.timeoutMs);
  }

  private finish(id: number, result: Error | DocumentResult): void {
    if (!this.current || this.current.p.id !== id) return;
    const { p, timer } = this.current;
    if (timer) clearTimeout(timer);
    this.current = null;
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  private start(): Worker {
    const { entry, evaluate } = workerEntry();
    const worker = new Worker(entry, { eval: evaluate, resourceLimits: { maxOldGenerationSizeMb: this.opts.maxMemoryMb } });
    this.worker = worker;
    this.ready = false;
    worker.on("message", (msg: FromDocumentWorker) => {
      if (worker !== this.worker) return;
      if (msg.type === "ready") {
        this.ready = true;
        this.armTimer();
        return;
      }
      if (msg.type === "done") this.finish(msg.id, { bytes: msg.bytes, ms: msg.ms, contentHash: msg.contentHash });
      else this.finish(msg.id, new PdfExportError(msg.code, msg.message));
      this.pump();
    });
    worker.on("error", (err) => this.opts.logger?.error("document export thread failed", err));
    worker.on("exit", (code) => {
      if (worker !== this.worker) return; // ended on purpose
      this.worker = null;
      if (this.current) {
        this.finish(this.current.p.id, new PdfExportError("worker_crashed", "The export stopped unexpectedly (the brief may be too large); try again."));
      }
      this.opts.logger?.error("document export thread exited", undefined, { code });
      this.pump();
    });
    return worker;
  }

  /** Ends an idle thread after `idleMs` (0: keeps it); the next export starts a fresh one. */
  private scheduleIdleStop(): void {
    if (this.opts.idleMs <= 0 || this.idleTimer || !this.worker) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.current || this.queue.length > 0 || this.closed || !this.worker) return;
      this.opts.logger?.debug("export", "idle: document export thread stopped", { idleMs: this.opts.idleMs });
      this.stopWorker();
    }, this.opts.idleMs);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleStop();
    const gone = new PdfExportError("closed", "The server is shutting down; try the export again in a moment.");
    if (this.current) this.finish(this.current.p.id, gone);
    for (const p of this.queue.splice(0)) p.reject(gone);
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

export function createDocumentService(
  config: Pick<Config, "DOCX_TIMEOUT_MS" | "DOCX_MAX_QUEUE" | "DOCX_WORKER_MAX_MEMORY_MB"> & Partial<Pick<Config, "DOCX_WORKER_IDLE_MS">>,
  logger?: Logger,
): DocumentService {
  const thread = new DocumentThread({
    timeoutMs: config.DOCX_TIMEOUT_MS,
    maxQueue: config.DOCX_MAX_QUEUE,
    maxMemoryMb: config.DOCX_WORKER_MAX_MEMORY_MB,
    idleMs: config.DOCX_WORKER_IDLE_MS ?? 0,
    logger,
  });
  return {
    async render(job) {
      const stop = exportSeconds.startTimer({ format: job.format });
      try {
        const result = await thread.render(job);
        stop({ outcome: "ok" });
        return result;
      } catch (err) {
        stop({ outcome: err instanceof PdfExportError ? err.code : "error" });
        throw err;
      }
    },
    close: () => thread.close(),
  };
}

/**
 * The thread's entry: the bundle `docx-worker.js` beside the compiled server, or from source
 * (scripts and benchmarks under tsx) `docx-worker.ts` behind a loader that registers tsx first, as a
 * Node 20 worker inherits neither the parent's loader hooks nor `--import`.
 */
function workerEntry(): { entry: string | URL; evaluate: boolean } {
  if (import.meta.url.endsWith(".js")) return { entry: new URL("./docx-worker.js", import.meta.url), evaluate: false };
  const source = new URL("./docx-worker.ts", import.meta.url).href;
  return { entry: `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, evaluate: true };
}
