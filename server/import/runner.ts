import { Worker } from "node:worker_threads";
import type { Config } from "../config";
import type { Logger } from "../logger";
import type { ConvertedDocx } from "./convert";
import { ImportError } from "./errors";
import type { FromImportWorker, ImportJob } from "./worker-protocol";

/** Word import for Remix actions (`context.services.docxImport`). */
export interface DocxImportService {
  /** Converts a .docx off the event loop; rejects with ImportError for anything it refuses. */
  convert(bytes: Uint8Array): Promise<ConvertedDocx>;
  close(): Promise<void>;
}

type ImportConfig = Pick<
  Config,
  "IMPORT_MAX_UNCOMPRESSED_BYTES" | "IMPORT_MAX_COMPRESSION_RATIO" | "IMPORT_TIMEOUT_MS" | "IMPORT_WORKER_MAX_MEMORY_MB" | "IMPORT_MAX_CONCURRENT"
> &
  Partial<Pick<Config, "IMPORT_WORKER_IDLE_MS">>;

/** Imports before a thread is replaced, so whatever a long run leaves in its heap goes with it. */
const JOBS_PER_WORKER = 50;

type Slot = { worker: Worker; jobs: number; idleTimer?: NodeJS.Timeout };

/**
 * A small pool of conversion threads, started on the first import and kept warm for
 * IMPORT_WORKER_IDLE_MS after it: a cold thread spends most of a 50-page import loading and
 * compiling mammoth, but an idle one holds its own V8 heap (docs/decisions/0117). A conversion that runs out of
 * heap, crashes or overruns IMPORT_TIMEOUT_MS ends its own thread only (it is terminated and
 * replaced on the next import). At most IMPORT_MAX_CONCURRENT run at once; more are refused with
 * 503 rather than queued behind them.
 */
export function createDocxImportService(config: ImportConfig, logger: Logger): DocxImportService {
  const idle: Slot[] = [];
  const busy = new Set<Slot>();
  let nextId = 1;
  let closed = false;
  const unreadable = () =>
    new ImportError("unreadable", "This Word document could not be converted. Open it in Word, save it again as .docx and import it again.");

  const idleMs = config.IMPORT_WORKER_IDLE_MS ?? 0;
  /** Back in the idle list; ended after `idleMs` unless an import takes it first. */
  const park = (slot: Slot) => {
    idle.push(slot);
    if (idleMs <= 0) return;
    slot.idleTimer = setTimeout(() => {
      const at = idle.indexOf(slot);
      if (at < 0) return;
      idle.splice(at, 1);
      logger.debug("import", "idle: conversion thread stopped", { idleMs });
      void slot.worker.terminate();
    }, idleMs);
    slot.idleTimer.unref();
  };

  const take = (): Slot => {
    let slot = idle.pop();
    if (slot) clearTimeout(slot.idleTimer);
    if (!slot) {
      const fresh: Slot = { worker: startWorker(config.IMPORT_WORKER_MAX_MEMORY_MB), jobs: 0 };
      // A thread that ends while idle is not handed the next job.
      fresh.worker.once("exit", () => idle.includes(fresh) && idle.splice(idle.indexOf(fresh), 1));
      slot = fresh;
    }
    busy.add(slot);
    return slot;
  };

  return {
    convert(bytes) {
      if (closed || busy.size >= config.IMPORT_MAX_CONCURRENT) {
        return Promise.reject(new ImportError("busy", "Other documents are being imported right now. Try again in a moment."));
      }
      const slot = take();
      const { worker } = slot;
      const id = nextId++;
      // A copy: the caller's buffer may be a view of something larger, and the transfer detaches it.
      const copy = new Uint8Array(bytes);
      const job: ImportJob = {
        type: "convert",
        id,
        bytes: copy,
        limits: { maxUncompressedBytes: config.IMPORT_MAX_UNCOMPRESSED_BYTES, maxCompressionRatio: config.IMPORT_MAX_COMPRESSION_RATIO },
      };
      const started = performance.now();
      return new Promise<ConvertedDocx>((resolve, reject) => {
        let settled = false;
        const finish = (healthy: boolean, fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          worker.off("message", onMessage);
          worker.off("error", onError);
          worker.off("exit", onExit);
          busy.delete(slot);
          slot.jobs += 1;
          if (healthy && !closed && slot.jobs < JOBS_PER_WORKER) park(slot);
          else void worker.terminate();
          fn();
        };
        const onMessage = (msg: FromImportWorker) => {
          if (msg.id !== id) return;
          const ms = Math.round(performance.now() - started);
          if (msg.ok) {
            logger.info("import", "document converted", { ms, bytes: bytes.byteLength, warnings: msg.warnings });
            finish(true, () => resolve({ state: msg.state, warnings: msg.warnings }));
          } else if (msg.code) {
            logger.info("import", "document refused", { ms, code: msg.code });
            finish(true, () => reject(new ImportError(msg.code!, msg.message)));
          } else {
            logger.warn("import", "conversion failed", { ms, error: msg.message });
            finish(true, () => reject(unreadable()));
          }
        };
        // Out of memory (ERR_WORKER_OUT_OF_MEMORY) or a crash: the thread is gone, the server is not.
        const onError = (err: Error) => {
          logger.warn("import", "conversion thread ended", { error: err.message });
          finish(false, () => reject(unreadable()));
        };
        const onExit = () => finish(false, () => reject(unreadable()));
        const timer = setTimeout(() => {
          logger.warn("import", "conversion stopped at the time limit", { ms: config.IMPORT_TIMEOUT_MS });
          finish(false, () =>
            reject(new ImportError("timeout", `This Word document took longer than ${config.IMPORT_TIMEOUT_MS / 1000} s to convert and was not imported.`)),
          );
        }, config.IMPORT_TIMEOUT_MS);
        worker.on("message", onMessage);
        worker.once("error", onError);
        worker.once("exit", onExit);
        worker.postMessage(job, [copy.buffer]);
      });
    },
    async close() {
      closed = true;
      for (const slot of idle) clearTimeout(slot.idleTimer);
      const all = [...idle.splice(0), ...busy];
      busy.clear();
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

function startWorker(maxMemoryMb: number): Worker {
  const { entry, evaluate } = workerEntry();
  const worker = new Worker(entry, { eval: evaluate, resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb } });
  // An idle thread must not keep a finished process (a script, a test) alive.
  worker.unref();
  return worker;
}

/** As projection-runner.ts: the bundle beside the compiled server, or the source under tsx. */
function workerEntry(): { entry: string | URL; evaluate: boolean } {
  if (import.meta.url.endsWith(".js")) return { entry: new URL("./import-worker.js", import.meta.url), evaluate: false };
  const source = new URL("./worker.ts", import.meta.url).href;
  return { entry: `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, evaluate: true };
}
