import type { HashedFields } from "./content-hash";
import type { ExportInfo, PMNode } from "./model";
import type { PdfErrorCode } from "./errors";
import type { MarkupSuggestion } from "./suggestion-markup";

/**
 * What to render: the body as a Yjs update (live state or stored snapshot) or as ProseMirror JSON.
 * Everything that reads the whole body happens in the render process, never on the server's event
 * loop: reading the update, writing suggestions in, hashing (ADR 0407).
 */
export interface RenderJob {
  update?: Uint8Array;
  /**
   * Instead of `update`, the body as several updates framed in one buffer (update-frames.ts): a
   * briefing's stored snapshot and log rows, or a room's last full state and the changes since.
   * Applied in the render process or export thread, so the event loop never merges or encodes them.
   */
  updates?: Uint8Array;
  doc?: PMNode;
  info: ExportInfo;
  /** Open suggestions to write into a copy of `update` as markup before it is read (suggestion-markup.ts). */
  markup?: MarkupSuggestion[];
  /**
   * Which brief this is (its id): an idle render process that rendered it recently gets the job,
   * as its compiler still holds most of the layout. Never waits for a busy one.
   */
  key?: string;
  /** Also answer the content hash of the body as given (before any markup) with these fields: a draft's hash (content-hash.ts). */
  hashFields?: HashedFields;
}

export interface RenderStats {
  /** Time spent in the worker for this job (conversion + model + compile + PDF). */
  ms: number;
  /** CPU time the render process spent on this job (every thread), ms: unlike `ms`, not inflated by a busy machine. */
  cpuMs: number;
  /** The render process that did it. */
  pid: number;
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
  | { type: "done"; id: number; file: string; stats: RenderStats; contentHash?: string }
  | { type: "failed"; id: number; code: PdfErrorCode; message: string };
