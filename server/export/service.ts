import type { Config } from "../config";
import type { Logger } from "../logger";
import { Histogram } from "prom-client";
import { metricsRegistry } from "../metrics";
import { PdfExportError } from "./errors";
import { PdfPool, type RenderResult } from "./pool";
import type { RenderJob } from "./worker-protocol";

export type { RenderJob, RenderResult };

/** `context.services.pdf`: renders a brief to PDF off the main event loop. */
export interface PdfService {
  /** Resolves with the PDF, or rejects with a `PdfExportError` (missing glyph, timeout, busy…). */
  render(job: RenderJob): Promise<RenderResult>;
  /** Live render processes and totals since start. */
  stats(): { processes: number } & PdfPool["counters"];
  close(): Promise<void>;
}

const exportSeconds = new Histogram({
  name: "summit_pdf_export_seconds",
  help: "PDF renders by outcome (ok, missing_glyph, timeout, busy, …), queueing included",
  labelNames: ["outcome"],
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [metricsRegistry],
});

export function createPdfService(
  config: Pick<Config, "PDF_WORKERS" | "PDF_TIMEOUT_MS" | "PDF_RENDERS_PER_WORKER"> & Partial<Pick<Config, "PDF_MAX_QUEUE">>,
  logger?: Logger,
): PdfService {
  const pool = new PdfPool({
    size: config.PDF_WORKERS,
    timeoutMs: config.PDF_TIMEOUT_MS,
    rendersPerWorker: config.PDF_RENDERS_PER_WORKER,
    maxQueue: config.PDF_MAX_QUEUE,
    logger,
  });
  return {
    async render(job) {
      const stop = exportSeconds.startTimer();
      try {
        const result = await pool.render(job);
        stop({ outcome: "ok" });
        return result;
      } catch (err) {
        stop({ outcome: err instanceof PdfExportError ? err.code : "error" });
        throw err;
      }
    },
    stats: () => ({ processes: pool.size, ...pool.counters }),
    close: () => pool.close(),
  };
}
