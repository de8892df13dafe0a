import type { ImportErrorCode } from "./errors";
import type { ZipLimits } from "./inspect";

/** What a conversion thread is started with (workerData); the bytes are transferred, not copied. */
export interface ImportWorkerData {
  bytes: Uint8Array;
  limits: ZipLimits;
}

/** The one message a conversion thread sends back before it ends. */
export type FromImportWorker =
  | { ok: true; state: Uint8Array; warnings: number }
  | { ok: false; code: ImportErrorCode | null; message: string };
