import type { ExportInfo, PMNode } from "./model";
import type { PdfErrorCode } from "./errors";

/** What to render: the body as a Yjs update (live state or stored snapshot) or as ProseMirror JSON. */
export interface RenderJob {
  update?: Uint8Array;
  doc?: PMNode;
  info: ExportInfo;
}

export interface RenderStats {
  /** Time spent in the worker for this job (conversion + model + compile + PDF). */
  ms: number;
  pages: number;
  /** Resident set size of the worker after the render, bytes. */
  rss: number;
  /** Peak resident set size of the worker so far, bytes. */
  maxRss: number;
}

export type ToWorker = { type: "render"; id: number; job: RenderJob };

export type FromWorker =
  | { type: "ready"; ms: number }
  /** The PDF is in `file`, in the pool's output directory (SD_PDF_OUT): big buffers stay off the IPC channel. */
  | { type: "done"; id: number; file: string; stats: RenderStats }
  | { type: "failed"; id: number; code: PdfErrorCode; message: string };
