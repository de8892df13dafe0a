import { applyAwarenessUpdate, type Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { Logger } from "../logger";
import type { DocumentStore } from "../persistence/document-store";
import type { CollabMetrics } from "./collab-metrics";
import type { RoomFanout } from "./fanout";
import { takePending } from "./pending-guard";
import type { RoomPersistence } from "./room-persistence";

/** Transaction origin of updates another process published (server/collab/fanout.ts). */
export const FROM_FANOUT = Symbol("fanout");
/** Transaction origin of stored state re-read to catch up after the fan-out missed updates. */
export const FROM_STORE = Symbol("store");

/**
 * After a gap the room reads storage at once and once more this long after: an update the bus lost
 * may still be in its own process's write queue at the first read (flushed every COLLAB_FLUSH_MS).
 */
const CATCH_UP_AGAIN_MIN_MS = 1000;

/** The parts of a room the fan-out writes into. */
export interface FanoutRoomParts {
  briefingId: string;
  doc: Y.Doc;
  awareness: Awareness;
  persistence: RoomPersistence;
}

/**
 * One room's side of the fan-out (docs/decisions/0109): what other processes publish is applied
 * here with its own origin (so the room neither stores nor republishes it), and a gap in the feed
 * is closed from storage. Kept apart from Room, which handles its own connections.
 */
export class RoomFanoutLink {
  private closed = false;
  private catchUpRunning = false;
  private catchUpQueued = false;
  private catchUpTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly room: FanoutRoomParts,
    private readonly store: DocumentStore,
    private readonly options: { fanout: RoomFanout; flushMs: number; metrics: CollabMetrics },
    private readonly logger: Logger,
    from: string | null,
  ) {
    this.unsubscribe = options.fanout.subscribe(
      room.briefingId,
      (update) => this.receive(update),
      {
        onGap: () => this.gap(),
        onAwareness: (update) => this.receiveAwareness(update),
        onUnconfirmed: (updates) => this.storeUnconfirmed(updates),
      },
      from,
    );
  }

  /** Stops listening; a catch-up read still in flight applies nothing. */
  dispose(): void {
    this.closed = true;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.unsubscribe();
  }

  /** An update another process's room applied: integrate it, which passes it to our connections. */
  private receive(update: Uint8Array): void {
    if (this.closed) return;
    try {
      Y.applyUpdate(this.room.doc, update, FROM_FANOUT);
    } catch (err) {
      this.logger.error("collab fan-out update could not be applied", err, { briefingId: this.room.briefingId });
      return;
    }
    // Adapters deliver in order, so nothing should be left waiting; if it is, it must not linger,
    // and what it builds on was missed: storage has it (its process stored it), so catch up.
    if (takePending(this.room.doc)) {
      this.logger.warn("collab", "fan-out update with missing dependencies; dropped, catching up from storage", { briefingId: this.room.briefingId });
      this.gap();
    }
  }

  /** Updates whose process never said it stored them: stored here, so they outlive that process. */
  private storeUnconfirmed(updates: Uint8Array[]): void {
    if (this.closed) return;
    this.logger.warn("collab", "storing fan-out updates their instance never confirmed", { briefingId: this.room.briefingId, updates: updates.length });
    for (const update of updates) {
      this.room.persistence.bytes -= update.byteLength; // already counted when it was applied
      this.room.persistence.enqueue(update, null);
    }
  }

  private receiveAwareness(update: Uint8Array): void {
    if (this.closed) return;
    try {
      applyAwarenessUpdate(this.room.awareness, update, FROM_FANOUT);
    } catch (err) {
      this.logger.error("collab fan-out awareness update could not be applied", err, { briefingId: this.room.briefingId });
    }
  }

  /**
   * The fan-out may have missed updates: re-read storage now and once more a little later (an
   * update still in its process's write queue is stored by then), and merge what we lack. Never
   * silently diverge from the other processes' rooms.
   */
  private gap(): void {
    if (this.closed) return;
    this.catchUp();
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    const again = Math.max(CATCH_UP_AGAIN_MIN_MS, 10 * this.options.flushMs);
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      this.catchUp();
    }, again);
  }

  private catchUp(): void {
    if (this.closed) return;
    if (this.catchUpRunning) {
      this.catchUpQueued = true;
      return;
    }
    this.catchUpRunning = true;
    const { briefingId, doc } = this.room;
    this.store
      .load(briefingId)
      .then((stored) => {
        if (this.closed || stored.updates.length === 0) return;
        // Applied as one update: the document emits only what it lacked, which goes to our clients.
        Y.applyUpdate(doc, Y.mergeUpdates(stored.updates), FROM_STORE);
        if (takePending(doc)) this.logger.warn("collab", "stored state held changes with missing dependencies; dropped", { briefingId });
        this.options.metrics.fanoutCaughtUp();
      })
      .catch((err: unknown) => this.logger.error("collab catch-up from storage failed", err, { briefingId }))
      .finally(() => {
        this.catchUpRunning = false;
        if (this.catchUpQueued) {
          this.catchUpQueued = false;
          this.catchUp();
        }
      });
  }
}
