import { fork, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Logger } from "../logger";
import { PdfExportError } from "./errors";
import { prepareSandbox } from "./sandbox";
import type { FromWorker, RenderJob, RenderStats, ToWorker } from "./worker-protocol";

/**
 * util-linux's chrt on the process's PATH, which starts the render process under the SCHED_IDLE
 * policy; null when absent (minimal images, some containers), and the fallback is nice 19. Looked
 * up at each spawn so the PATH of the running process decides, as it would for a shell.
 */
export function findChrt(searchPath = process.env.PATH ?? ""): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "chrt");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

export interface PdfPoolOptions {
  /** Render processes, at most. @default 2 (PDF_WORKERS) */
  size: number;
  /** A render taking longer kills its process and fails the export. @default 30000 (PDF_TIMEOUT_MS) */
  timeoutMs: number;
  /** Renders before a process is replaced (the compiler's memory only grows). @default 25 (PDF_RENDERS_PER_WORKER) */
  rendersPerWorker: number;
  /** Jobs waiting for a process before new ones are refused as busy. @default size * 8 */
  maxQueue?: number;
  logger?: Logger;
}

export interface RenderResult {
  pdf: Buffer;
  stats: RenderStats;
  /** With `hashFields` in the job: the body's content hash, computed in the render process. */
  contentHash?: string;
}

interface Pending {
  id: number;
  job: RenderJob;
  resolve(r: RenderResult): void;
  reject(e: Error): void;
}

interface Worker {
  child: ChildProcess;
  ready: boolean;
  renders: number;
  current: (Pending & { timer: NodeJS.Timeout }) | null;
  retiring: boolean;
  /** Keys of its latest jobs, newest first: the briefs whose layout its compiler still holds. */
  recent: string[];
}

/** As many as the renderer's `evictCache(10)` keeps the layout of. */
const RECENT_KEYS = 10;

/**
 * A small pool of render processes. Each one compiles inside a sandbox root that holds only the
 * template, sees no system fonts (FONTCONFIG_FILE points at an empty configuration) and gets a
 * minimal environment (no secrets). Processes start on demand, are killed on timeout and replaced
 * after `rendersPerWorker` renders.
 */
export class PdfPool {
  private readonly workers = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private readonly base: string;
  private readonly root: string;
  private readonly fontConfig: string;
  /** Where render processes leave finished PDFs for the pool to read (and delete). */
  private readonly outDir: string;
  private nextId = 1;
  private closed = false;
  /** Totals for metrics and the benchmark. */
  readonly counters = { spawned: 0, recycled: 0, timeouts: 0, crashes: 0, rendered: 0, failed: 0 };

  constructor(private readonly opts: PdfPoolOptions) {
    this.base = fs.mkdtempSync(path.join(os.tmpdir(), "summit-desk-pdf-"));
    this.root = path.join(this.base, "root");
    prepareSandbox(this.root);
    this.outDir = path.join(this.base, "out");
    fs.mkdirSync(this.outDir);
    const emptyFonts = path.join(this.base, "no-fonts");
    fs.mkdirSync(emptyFonts);
    this.fontConfig = path.join(this.base, "fonts.conf");
    fs.writeFileSync(
      this.fontConfig,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${emptyFonts}</dir><cachedir>${emptyFonts}</cachedir></fontconfig>\n`,
    );
  }

  render(job: RenderJob): Promise<RenderResult> {
    if (this.closed) return Promise.reject(new PdfExportError("closed", "The PDF service is shutting down."));
    const max = this.opts.maxQueue ?? this.opts.size * 8;
    if (this.queue.length >= max) {
      return Promise.reject(new PdfExportError("busy", "Too many exports are waiting; try again in a moment."));
    }
    return new Promise<RenderResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Live render processes (for metrics and tests). */
  get size(): number {
    return this.workers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new PdfExportError("closed", "The PDF service is shutting down."));
    await Promise.all([...this.workers].map((w) => this.stop(w)));
    fs.rmSync(this.base, { recursive: true, force: true });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const free = [...this.workers].filter((w) => w.ready && !w.current && !w.retiring);
      const key = this.queue[0].job.key;
      // A process that laid this brief out recently reuses most of that layout (ADR 0407).
      const idle = (key !== undefined && free.find((w) => w.recent.includes(key))) || free[0];
      if (!idle) {
        const starting = [...this.workers].filter((w) => !w.ready).length;
        if (this.workers.size < this.opts.size && starting < this.queue.length) {
          this.spawn();
          continue;
        }
        return;
      }
      this.assign(idle, this.queue.shift()!);
    }
  }

  private assign(worker: Worker, pending: Pending): void {
    const timer = setTimeout(() => {
      this.counters.timeouts++;
      this.opts.logger?.warn("pdf", "render timed out; killing its process", { timeoutMs: this.opts.timeoutMs });
      pending.reject(new PdfExportError("timeout", `The PDF took longer than ${Math.round(this.opts.timeoutMs / 1000)} s to render and was stopped.`));
      worker.current = null;
      this.discard(worker);
    }, this.opts.timeoutMs);
    worker.current = { ...pending, timer };
    worker.renders++;
    const key = pending.job.key;
    if (key !== undefined) worker.recent = [key, ...worker.recent.filter((k) => k !== key)].slice(0, RECENT_KEYS);
    const msg: ToWorker = { type: "render", id: pending.id, job: pending.job };
    worker.child.send(msg);
  }

  private spawn(): void {
    const { entry, execArgv } = workerEntry();
    const options: SpawnOptions & { serialization: "advanced" } = {
      cwd: this.root,
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // Only what the compiler needs: no session secret or database path in the render process.
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        NODE_ENV: process.env.NODE_ENV ?? "production",
        HOME: this.base,
        FONTCONFIG_FILE: this.fontConfig,
        SD_TYPST_ROOT: this.root,
        SD_PDF_OUT: this.outDir,
      },
    };
    // Renders are background work next to live editing: under SCHED_IDLE (util-linux `chrt`) a
    // render only gets CPU time no collaboration process wants. Without chrt, nice 19 (the lowest
    // priority a normal process can set).
    const chrt = findChrt();
    const child = chrt
      ? spawn(chrt, ["--idle", "0", process.execPath, ...execArgv, entry], options)
      : fork(entry, [], { ...options, execArgv });
    if (!chrt) {
      try {
        if (child.pid) os.setPriority(child.pid, 19);
      } catch {
        /* not permitted here: renders run at normal priority */
      }
    }
    const worker: Worker = { child, ready: false, renders: 0, current: null, retiring: false, recent: [] };
    this.workers.add(worker);
    this.counters.spawned++;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on("message", (msg: FromWorker) => this.onMessage(worker, msg));
    child.on("error", (err) => this.opts.logger?.error("pdf worker error", err));
    child.on("exit", (code, signal) => {
      const wasKnown = this.workers.delete(worker);
      if (worker.current) {
        clearTimeout(worker.current.timer);
        this.counters.crashes++;
        worker.current.reject(new PdfExportError("worker_crashed", "The PDF renderer stopped unexpectedly; try again."));
        worker.current = null;
      }
      if (wasKnown && !worker.retiring) {
        this.opts.logger?.error("pdf worker exited", undefined, { code, signal: signal ?? undefined, stderr: stderr.slice(-500) });
        if (!worker.ready) {
          // It could not even start: fail what is waiting rather than respawning in a loop.
          for (const p of this.queue.splice(0)) p.reject(new PdfExportError("worker_crashed", "The PDF renderer could not start."));
        }
      }
      if (!this.closed) this.dispatch();
    });
  }

  private onMessage(worker: Worker, msg: FromWorker): void {
    if (msg.type === "ready") {
      worker.ready = true;
      this.opts.logger?.debug("pdf", "render process ready", { ms: msg.ms });
      this.dispatch();
      return;
    }
    const file = msg.type === "done" ? this.outputFile(msg.file) : null;
    const current = worker.current;
    if (!current || current.id !== msg.id) {
      if (file) removeOutput(file); // finished after its timeout
      return;
    }
    clearTimeout(current.timer);
    worker.current = null;
    if (msg.type === "done") {
      if (!file) {
        this.counters.failed++;
        current.reject(new PdfExportError("compile_failed", "The PDF renderer answered with an unexpected file."));
      } else {
        this.counters.rendered++;
        // Read in libuv's thread pool: one buffer, nothing copied on the event loop.
        fs.promises.readFile(file).then(
          (pdf) => current.resolve({ pdf, stats: msg.stats, contentHash: msg.contentHash }),
          (err: Error) => current.reject(new PdfExportError("compile_failed", `The rendered PDF could not be read: ${err.message}`)),
        ).finally(() => removeOutput(file));
      }
    } else {
      this.counters.failed++;
      current.reject(new PdfExportError(msg.code, msg.message));
    }
    if (worker.renders >= this.opts.rendersPerWorker) {
      this.counters.recycled++;
      this.discard(worker);
    }
    this.dispatch();
  }

  /** A PDF a render process names, only when it is one of ours: a plain file name in the output directory. */
  private outputFile(file: unknown): string | null {
    if (typeof file !== "string" || !/^\d+-\d+\.pdf$/.test(path.basename(file))) return null;
    const resolved = path.resolve(file);
    return path.dirname(resolved) === this.outDir ? resolved : null;
  }

  /** Takes a process out of service and ends it; a replacement starts when work needs one. */
  private discard(worker: Worker): void {
    worker.retiring = true;
    this.workers.delete(worker);
    worker.child.kill("SIGKILL");
    if (this.closed) return;
    // Start the replacement now so the next export does not wait for a cold process.
    if (this.workers.size < this.opts.size) this.spawn();
    this.dispatch();
  }

  private stop(worker: Worker): Promise<void> {
    worker.retiring = true;
    if (worker.child.exitCode !== null || worker.child.signalCode) return Promise.resolve();
    return new Promise((resolve) => {
      worker.child.once("exit", () => resolve());
      worker.child.kill("SIGKILL");
    });
  }
}

/**
 * Deletes a finished PDF: one unlink in libuv's thread pool. `fs.promises.rm` walks the path in
 * JavaScript first (rimraf's lstat and retry logic), a few ms of the event loop per export.
 */
function removeOutput(file: string): void {
  fs.unlink(file, () => {
    /* already gone: nothing to clean */
  });
}

/**
 * The render process's entry. In the compiled server (`build/server/index.js`) it is the bundle
 * `pdf-worker.js` beside it, run by plain node. Unit tests import this module from source, where
 * the worker is `worker.ts` run through tsx (a development dependency).
 */
function workerEntry(): { entry: string; execArgv: string[] } {
  if (import.meta.url.endsWith(".js")) return { entry: fileURLToPath(new URL("./pdf-worker.js", import.meta.url)), execArgv: [] };
  const require = createRequire(import.meta.url);
  return { entry: fileURLToPath(new URL("./worker.ts", import.meta.url)), execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href] };
}
