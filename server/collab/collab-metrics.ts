/**
 * What the collaboration code reports, as events rather than Prometheus calls, so the registry,
 * its rooms and connections take it as a dependency (a test passes its own; server/metrics.ts
 * implements it on prom-client for /metrics).
 */
export interface CollabMetrics {
  /** A briefing's document was read from storage and built into a room. */
  roomLoaded(seconds: number): void;
  /** One document update was applied (from a client or another instance). */
  updateReceived(): void;
  /** One batch of updates was written to storage. */
  updatesStored(count: number, seconds: number): void;
  /** A store attempt failed (it is retried). */
  storeFailed(): void;
  /** An update log was folded into a snapshot. */
  compacted(): void;
  /** Messages dropped or refused, by reason. */
  rejected(reason: RejectReason, count?: number): void;
  /** The server closed a connection with this code. */
  closed(code: number): void;
  /** An upgrade was refused with this HTTP status before a socket opened. */
  upgradeRefused(status: number): void;
  /** A room update could not be handed to the fan-out (other instances may miss it until they reload). */
  fanoutFailed(): void;
  /** A room re-read storage because the fan-out may have missed updates (docs/decisions/0109). */
  fanoutCaughtUp(): void;
}

export type RejectReason =
  | "message_too_large"
  | "bad_frame"
  | "slow_reader"
  | "text_frame"
  | "rate_limit"
  | "byte_rate_limit"
  | "malformed"
  | "document_too_large"
  | "missing_dependencies"
  | "awareness_not_owned"
  | "read_only_sync"
  | "read_only_update";
