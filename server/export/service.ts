import type { Config } from "../config";
import type { Logger } from "../logger";
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

export function createPdfService(
  config: Pick<Config, "PDF_WORKERS" | "PDF_TIMEOUT_MS" | "PDF_RENDERS_PER_WORKER">,
  logger?: Logger,
): PdfService {
  const pool = new PdfPool({
    size: config.PDF_WORKERS,
    timeoutMs: config.PDF_TIMEOUT_MS,
    rendersPerWorker: config.PDF_RENDERS_PER_WORKER,
    logger,
  });
  return {
    render: (job) => pool.render(job),
    stats: () => ({ processes: pool.size, ...pool.counters }),
    close: () => pool.close(),
  };
}
