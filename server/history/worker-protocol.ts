import type { Comparison } from "./compare";
import type { CorruptionKind } from "../persistence/corruption";

/** What a history thread is started with (`workerData`). */
export interface HistoryWorkerData {
  databasePath: string;
  fullEvery: number;
  cacheBytes: number;
}

/** Main thread → history thread. */
export type HistoryJob =
  | { type: "encode"; id: number; briefingId: string; seq: number; state: Uint8Array; prevVector: Uint8Array | null }
  | { type: "forget"; id: number; briefingId: string; seq: number }
  | { type: "state"; id: number; briefingId: string; seq: number }
  | { type: "compare"; id: number; briefingId: string; older: number; newer: number; clients: Record<string, string>; deleter: string | null };

export type HistoryResult = { stored: Uint8Array; stateVector: Uint8Array } | { state: Uint8Array | null } | { comparison: Comparison | null } | null;

export type FromHistoryWorker =
  | { type: "ready" }
  | { type: "done"; id: number; result: HistoryResult; ms: number }
  /** `corrupt`: a stored row failed its checksum (rebuilt as StoredDocumentCorruptError on the main thread). */
  | { type: "failed"; id: number; message: string; corrupt?: { briefingId: string; kind: CorruptionKind; detail: string } };
