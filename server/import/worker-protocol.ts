import type { ImportErrorCode } from "./errors";
import type { ZipLimits } from "./inspect";

/** One document to convert; the bytes are transferred, not copied. */
export interface ImportJob {
  type: "convert";
  id: number;
  bytes: Uint8Array;
  limits: ZipLimits;
}

/** The answer to a job (by id). */
export type FromImportWorker =
  | { id: number; ok: true; state: Uint8Array; warnings: number }
  | { id: number; ok: false; code: ImportErrorCode | null; message: string };
