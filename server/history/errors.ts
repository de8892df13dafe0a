/** Stable code of HistoryUnavailableError; match on it, not on the class (the Remix bundle has its own copy). */
export const HISTORY_UNAVAILABLE = "history_unavailable";

/**
 * A rebuild or comparison could not run: the history threads are all busy with a full queue, the
 * thread ended (out of memory, a crash) or the job overran HISTORY_TIMEOUT_MS. Routes answer 503
 * with the message; the server and the live rooms are unaffected.
 */
export class HistoryUnavailableError extends Error {
  readonly code = HISTORY_UNAVAILABLE;
  readonly httpStatus = 503;

  constructor(
    readonly reason: "busy" | "crashed" | "timeout" | "closed",
    message: string,
  ) {
    super(message);
    this.name = "HistoryUnavailableError";
  }
}

export function isHistoryUnavailable(err: unknown): err is HistoryUnavailableError {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === HISTORY_UNAVAILABLE;
}
