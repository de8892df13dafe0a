import type { ProjectionResult, WriteStats } from "./projection-store";

/**
 * The database the projection thread opens: the SQLite file, or PostgreSQL's URL (it may carry a
 * password: never logged).
 */
export type ProjectionDatabase = { dialect: "sqlite"; path: string } | { dialect: "pg"; url: string };

/** What the projection thread is started with (`workerData`). */
export interface ProjectionWorkerData {
  database: ProjectionDatabase;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

/** Main thread → projection thread: project this state of one briefing. */
export interface ProjectJob {
  type: "project";
  id: number;
  briefingId: string;
  /** The whole document as one Yjs update (copied across, the room keeps its own). */
  state: Uint8Array;
}

export type FromProjectionWorker =
  | { type: "ready" }
  /** `result` null: the briefing no longer exists and nothing was written. */
  | { type: "done"; id: number; result: (ProjectionResult & WriteStats) | null; ms: number }
  | { type: "failed"; id: number; message: string; ms: number };
