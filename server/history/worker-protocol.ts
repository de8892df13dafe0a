import type { Authors } from "./compare-html";
import type { ExportInfo } from "../export/model";
import type { CorruptionKind } from "../persistence/corruption";
import type { RestoreUpdate } from "./engine";
import type { CompareFormat, Payload } from "./payload";
import type { SinceReadCounts, SinceReadInput } from "./since-read";

/** What a history thread is started with (`workerData`). */
export interface HistoryWorkerData {
  /** The SQLite file the thread opens, when `databaseUrl` is null. */
  databasePath: string;
  /** PostgreSQL: the thread opens a pool of two to this URL instead of the file (ADR 0121). */
  databaseUrl: string | null;
  /** PostgreSQL: the connections of the thread's pool (ADR 0121). */
  databasePoolMax: number;
  fullEvery: number;
  cacheBytes: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

/**
 * Main thread → history thread: shut down. The thread ends its database connections (a PostgreSQL
 * pool is ended, not dropped) and closes its port, which lets it exit.
 */
export type HistoryClose = { type: "close" };

/** Main thread → history thread. */
export type HistoryJob =
  | { type: "encode"; id: number; briefingId: string; seq: number; state: Uint8Array; prevVector: Uint8Array | null }
  | { type: "forget"; id: number; briefingId: string; seq: number }
  | { type: "state"; id: number; briefingId: string; seq: number }
  /** Renders version `seq` into the thread's cache ahead of a comparison (nothing is sent back). */
  | { type: "prepare"; id: number; briefingId: string; seq: number; older?: number }
  | { type: "compare"; id: number; briefingId: string; older: number; newer: number; clients: Record<string, string>; deleter: string | null; format: CompareFormat; authors: Authors }
  | { type: "view"; id: number; briefingId: string; seq: number; info: ExportInfo }
  | { type: "restore"; id: number; briefingId: string; seq: number; live: Uint8Array }
  | { type: "mark"; id: number; briefingId: string; live: Uint8Array }
  | ({ type: "sinceRead"; id: number } & SinceReadInput);

export type HistoryResult =
  | { stored: Uint8Array; stateVector: Uint8Array }
  | { state: Uint8Array | null }
  /** The bytes a route sends, transferred (never copied or parsed on the main thread). */
  | { payload: Payload | null }
  | { restore: RestoreUpdate | null }
  | { mark: { stateVector: Uint8Array; deleteSet: Uint8Array } }
  | { since: SinceReadCounts | null }
  | null;

export type FromHistoryWorker =
  | { type: "ready" }
  | { type: "done"; id: number; result: HistoryResult; ms: number }
  /** `corrupt`: a stored row failed its checksum (rebuilt as StoredDocumentCorruptError on the main thread). */
  | { type: "failed"; id: number; message: string; corrupt?: { briefingId: string; kind: CorruptionKind; detail: string } };
