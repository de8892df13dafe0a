import * as Y from "yjs";
import type { Logger } from "../logger";
import { CLOSE } from "./close-codes";
import type { CollabMetrics } from "./collab-metrics";
import type { Connection } from "./connection";
import type { LateStruct, MergedBlocks } from "./merged-blocks";
import { hasClockGap, mayIntegrateNow, takePending } from "./pending-guard";

export interface IntakeLimits {
  maxDocumentBytes: number;
  /** Document updates a read-only connection may send before it is closed with 4431. */
  readOnlyStrikeLimit: number;
  /** Bytes of updates one connection may have waiting for missing changes (over it: 4422). */
  maxPendingBytes: number;
  /** Re-applies of a connection's waiting updates that may still leave something missing (over it: 4422). */
  maxPendingRetries: number;
  metrics: CollabMetrics;
}

/** What the intake needs of its room. */
export interface IntakeRoom {
  readonly doc: Y.Doc;
  readonly connections: ReadonlySet<Connection>;
  /** Bytes of the document as stored and waiting to be stored. */
  documentBytes(): number;
  /** Bumped on every change the document emits: tells whether an apply integrated anything. */
  changes(): number;
  /** Room.applyServerChange: one change on the live document, credited to `userId`. */
  serverChange<T>(userId: string, fn: (doc: Y.Doc) => T): T;
}

/**
 * How a room takes the document updates its connections send: read-only ones are dropped (and
 * counted against the socket), the size cap is checked, updates that depend on changes the room
 * lacks are kept aside on their connection and applied again once the document moved, and typing
 * that lands in a block an accept merged away is moved into the merged block.
 */
export class UpdateIntake {
  constructor(
    private readonly room: IntakeRoom,
    private readonly limits: IntakeLimits,
    /** Blocks an accept merged away, for typing that reaches us after it (docs/decisions/0602). */
    private readonly merged: MergedBlocks | null,
    private readonly logger: Logger,
  ) {}

  receive(conn: Connection, update: Uint8Array, kind: "sync" | "update"): void {
    if (conn.readOnly) return this.dropReadOnly(conn, update, kind);
    const doc = this.room.doc;
    // Waiting (unintegrated) updates are held in memory too, so they count against the document cap.
    if (this.room.documentBytes() + this.parkedBytes() + update.byteLength > this.limits.maxDocumentBytes) {
      this.limits.metrics.rejected("document_too_large");
      conn.close(CLOSE.documentTooLarge);
      return;
    }
    // Parse fully before touching the document: a truncated update must not half-apply.
    const decoded = Y.decodeUpdate(update);
    // A clock gap is certain to leave data waiting: past the allowance it is refused unapplied.
    if (conn.parkedBytes + update.byteLength > this.limits.maxPendingBytes && hasClockGap(decoded, doc)) {
      return this.refusePending(conn);
    }
    const before = this.room.changes();
    // Read before applying: once in a merged-away block, the text is gone from the document.
    const late = this.merged?.active ? this.merged.lateIn(doc, decoded.structs) : null;
    Y.applyUpdate(doc, update, conn);
    const left = takePending(doc);
    if (left) {
      if (conn.parkedBytes + update.byteLength > this.limits.maxPendingBytes) return this.refusePending(conn);
      conn.parked.push({ update, ...left });
      conn.parkedBytes += update.byteLength;
    }
    if (late) this.rescueLate(conn, late);
    if (this.room.changes() !== before) this.retryParked();
  }

  /**
   * The document changed: updates that waited for it (a live edit sent just before the sync step 2
   * that carries what it builds on) are applied again. Only when Yjs' own test says they might now
   * integrate, and only `maxPendingRetries` times per connection, so waiting junk costs bounded work.
   */
  private retryParked(): void {
    const doc = this.room.doc;
    for (const conn of Array.from(this.room.connections)) {
      if (conn.parked.length === 0 || conn.isClosed) continue;
      if (!conn.parked.some((p) => mayIntegrateNow(p, doc))) continue;
      const still = [];
      for (const parked of conn.parked) {
        const late = this.merged?.active ? this.merged.lateIn(doc, Y.decodeUpdate(parked.update).structs) : null;
        Y.applyUpdate(doc, parked.update, conn);
        const left = takePending(doc);
        if (left) still.push({ update: parked.update, ...left });
        if (late) this.rescueLate(conn, late);
      }
      conn.parked = still;
      conn.parkedBytes = still.reduce((n, p) => n + p.update.byteLength, 0);
      if (still.length > 0 && ++conn.pendingRetries > this.limits.maxPendingRetries) this.refusePending(conn);
    }
  }

  /**
   * Typing that landed in a block an accept merged away is written into the merged block, as one
   * change credited to the typist (docs/decisions/0602). Never from a server change, so never a loop.
   */
  private rescueLate(conn: Connection, late: LateStruct[]): void {
    try {
      const moved = this.room.serverChange(conn.userId, (doc) => this.merged!.rescue(doc, late));
      if (moved > 0) this.logger.info("collab", "late typing moved into a merged block", { ...conn.fields(), characters: moved });
    } catch (err) {
      this.logger.error("moving late typing into a merged block failed", err, { briefingId: conn.fields().briefingId });
    }
  }

  /** Closes a connection whose updates keep depending on changes nobody sent; its waiting updates go with it. */
  private refusePending(conn: Connection): void {
    this.limits.metrics.rejected("missing_dependencies");
    this.logger.info("collab", "updates depend on missing changes", { ...conn.fields(), parkedBytes: conn.parkedBytes });
    conn.close(CLOSE.missingDependencies);
  }

  private parkedBytes(): number {
    let n = 0;
    for (const conn of this.room.connections) n += conn.parkedBytes;
    return n;
  }

  private dropReadOnly(conn: Connection, update: Uint8Array, kind: "sync" | "update"): void {
    // A read-only client answers our sync step 1 with its own state; that is expected and ignored.
    if (kind === "sync") {
      if (update.byteLength > 2) this.limits.metrics.rejected("read_only_sync");
      return;
    }
    this.limits.metrics.rejected("read_only_update");
    conn.readOnlyStrikes++;
    if (conn.readOnlyStrikes >= this.limits.readOnlyStrikeLimit) conn.close(CLOSE.readOnlyViolation);
  }
}
