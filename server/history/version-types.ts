import type { VersionKind } from "../../db/schema";

/**
 * What the version store's two dialects share (ADR 0121): the shapes of a version, and the rows
 * each dialect reads and writes. The numbering, deltas, checksums and compression live once, in
 * version-store.ts; a dialect only runs its SQL (version-store.ts for SQLite, pg-version-store.ts).
 */

/** What a caller knows about a version it records; the store decides full state or delta. */
export interface NewVersion {
  kind: VersionKind;
  name: string | null;
  authors: string[];
  clients: Record<string, string>;
  changeBytes: number;
  /** Y.encodeStateAsUpdate of the document now. */
  state: Uint8Array;
  createdBy: string | null;
  finalVersion?: number | null;
}

/** One row of the history list (no state). */
export interface VersionInfo {
  seq: number;
  kind: VersionKind;
  name: string | null;
  authors: string[];
  clients: Record<string, string>;
  changeBytes: number;
  storedBytes: number;
  isFull: boolean;
  finalVersion: number | null;
  createdBy: string | null;
  createdAt: Date;
  stateVector: Uint8Array | null;
}

/** A stored payload as read back: verified against `checksum`, then inflated when `compressed`. */
export interface StoredRow {
  seq: number;
  compressed: boolean;
  state: Buffer;
  checksum: number | null;
}

/** The newest row of a briefing, and the newest full row's number: what the next version is planned from. */
export interface LastRow extends StoredRow {
  stateVector: Buffer | null;
  fullSeq: number | null;
}

/** A row as recorded (always compressed). */
export interface VersionRow {
  id: string;
  seq: number;
  kind: VersionKind;
  name: string | null;
  authors: string[];
  clients: Record<string, string>;
  changeBytes: number;
  isFull: boolean;
  stored: Buffer;
  stateVector: Buffer;
  checksum: number;
  finalVersion: number | null;
  createdBy: string | null;
  createdAt: number;
}

/** The SQL half of the version store: one implementation per dialect. */
export interface VersionRows {
  readonly dialect: "sqlite" | "pg";
  last(briefingId: string): Promise<LastRow | undefined>;
  /**
   * Inserts `row` when `row.seq` is still the briefing's next number (no process recorded one
   * meanwhile), atomically with that check; null when the number was taken.
   */
  insertIfNext(briefingId: string, row: VersionRow): Promise<VersionInfo | null>;
  list(briefingId: string): Promise<VersionInfo[]>;
  one(briefingId: string, seq: number): Promise<VersionInfo | undefined>;
  /** Versions newer than `seq`, oldest first. */
  after(briefingId: string, seq: number): Promise<VersionInfo[]>;
  /** The last full row at or before `seq`, or null. */
  fullAtOrBefore(briefingId: string, seq: number): Promise<number | null>;
  /** The rows from `from` to `to`, in order. */
  chain(briefingId: string, from: number, to: number): Promise<StoredRow[]>;
  /** The newest number (0: none). */
  latestSeq(briefingId: string): Promise<number>;
  /** When the newest version was taken, in ms (0: none). */
  lastAt(briefingId: string): Promise<number>;
  storedBytes(briefingId: string): Promise<number>;
  /**
   * Runs `fn` holding the briefing's numbering lock, with rows on the lock's connection: no other
   * recorder can insert until it returns, so a number planned inside is still next at the insert.
   * Only where the lock can be held across an await (PostgreSQL); SQLite's is a synchronous transaction.
   */
  exclusive?<T>(briefingId: string, fn: (rows: VersionRows) => Promise<T>): Promise<T>;
}
