import { Worker } from "node:worker_threads";
import type { Config } from "../config";
import type { Logger } from "../logger";
import type { ConvertedDocx } from "./convert";
import { ImportError } from "./errors";
import type { FromImportWorker, ImportWorkerData } from "./worker-protocol";

/** Word import for Remix actions (`context.services.docxImport`). */
export interface DocxImportService {
  /** Converts a .docx off the event loop; rejects with ImportError for anything it refuses. */
  convert(bytes: Uint8Array): Promise<ConvertedDocx>;
  close(): Promise<void>;
}

type ImportConfig = Pick<
  Config,
  "IMPORT_MAX_UNCOMPRESSED_BYTES" | "IMPORT_MAX_COMPRESSION_RATIO" | "IMPORT_TIMEOUT_MS" | "IMPORT_WORKER_MAX_MEMORY_MB" | "IMPORT_MAX_CONCURRENT"
>;

/**
 * One thread per conversion, ended when it answers: a document that exhausts the heap limit or
 * the time limit ends its own thread only, and nothing it allocated outlives the import. At most
 * IMPORT_MAX_CONCURRENT run at once; more are refused with 503 rather than queued behind them.
 */
export function createDocxImportService(config: ImportConfig, logger: Logger): DocxImportService {
  const running = new Set<Worker>();
  const unreadable = () => new ImportError("unreadable", "This Word document could not be converted. Open it in Word, save it again as .docx and import it again.");

  return {
    convert(bytes) {
      if (running.size >= config.IMPORT_MAX_CONCURRENT) {
        return Promise.reject(new ImportError("busy", "Other documents are being imported right now. Try again in a moment."));
      }
      const { entry, evaluate } = workerEntry();
      // A copy: the caller's buffer may be a view of something larger, and the transfer detaches it.
      const copy = new Uint8Array(bytes);
      const workerData: ImportWorkerData = {
        bytes: copy,
        limits: { maxUncompressedBytes: config.IMPORT_MAX_UNCOMPRESSED_BYTES, maxCompressionRatio: config.IMPORT_MAX_COMPRESSION_RATIO },
      };
      const worker = new Worker(entry, {
        eval: evaluate,
        workerData,
        transferList: [copy.buffer],
        resourceLimits: { maxOldGenerationSizeMb: config.IMPORT_WORKER_MAX_MEMORY_MB },
      });
      running.add(worker);
      const started = performance.now();
      return new Promise<ConvertedDocx>((resolve, reject) => {
        let settled = false;
        const finish = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          running.delete(worker);
          void worker.terminate();
          fn();
        };
        const timer = setTimeout(() => {
          logger.warn("import", "conversion stopped at the time limit", { ms: config.IMPORT_TIMEOUT_MS });
          finish(() => reject(new ImportError("timeout", `This Word document took longer than ${config.IMPORT_TIMEOUT_MS / 1000} s to convert and was not imported.`)));
        }, config.IMPORT_TIMEOUT_MS);
        worker.once("message", (msg: FromImportWorker) => {
          const ms = Math.round(performance.now() - started);
          if (msg.ok) {
            logger.info("import", "document converted", { ms, bytes: bytes.byteLength, warnings: msg.warnings });
            finish(() => resolve({ state: msg.state, warnings: msg.warnings }));
          } else if (msg.code) {
            logger.info("import", "document refused", { ms, code: msg.code });
            finish(() => reject(new ImportError(msg.code!, msg.message)));
          } else {
            logger.warn("import", "conversion failed", { ms, error: msg.message });
            finish(() => reject(unreadable()));
          }
        });
        // Out of memory (ERR_WORKER_OUT_OF_MEMORY) or a crash: the thread is gone, the server is not.
        worker.once("error", (err) => {
          logger.warn("import", "conversion thread ended", { error: err.message });
          finish(() => reject(unreadable()));
        });
        worker.once("exit", () => finish(() => reject(unreadable())));
      });
    },
    async close() {
      await Promise.all([...running].map((w) => w.terminate()));
      running.clear();
    },
  };
}

/** As projection-runner.ts: the bundle beside the compiled server, or the source under tsx. */
function workerEntry(): { entry: string | URL; evaluate: boolean } {
  if (import.meta.url.endsWith(".js")) return { entry: new URL("./import-worker.js", import.meta.url), evaluate: false };
  const source = new URL("./worker.ts", import.meta.url).href;
  return { entry: `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, evaluate: true };
}
