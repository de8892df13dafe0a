import type { PdfErrorCode } from "./errors";
import type { RenderJob } from "./worker-protocol";

/** The formats the document thread writes from the export model. */
export type DocumentFormat = "docx" | "md";

/** Same input as a PDF render (a Yjs update or ProseMirror JSON, plus the briefing fields). */
export interface DocumentJob extends RenderJob {
  format: DocumentFormat;
}

export type ToDocumentWorker = { type: "render"; id: number; job: DocumentJob };

export type FromDocumentWorker =
  | { type: "ready" }
  /**
   * `bytes` is transferred, not copied. `ms` is the time in the thread (conversion, model, writing).
   * `contentHash`: the draft's hash, when the job asked for it with `hashFields`.
   */
  | { type: "done"; id: number; bytes: Uint8Array; ms: number; contentHash?: string }
  | { type: "failed"; id: number; code: PdfErrorCode; message: string };
