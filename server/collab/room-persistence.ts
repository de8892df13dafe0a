import type { Logger } from "../logger";
import { collabMetrics } from "../metrics";
import type { DocumentStore, PendingUpdate } from "../persistence/document-store";

export interface PersistenceOptions {
  /** Group-commit tick: updates received within it are stored in one transaction. */
  flushMs: number;
  /** Fold the update log into the snapshot once it holds this many rows. */
  compactAfter: number;
}

/**
 * The storage side of one room: a queue of updates waiting for the next group-commit tick, the
 * retry on failure, and compaction. The room keeps every update here until the store took it.
 */
export class RoomPersistence {
  private pending: PendingUpdate[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Called after a tick stored everything (used to finish an unload that waited for storage). */
  onDrained: () => void = () => {};
  /** Called when a store failed because the briefing no longer exists; its updates are dropped. */
  onGone: () => void = () => {};

  constructor(
    private readonly briefingId: string,
    private readonly store: DocumentStore,
    private readonly options: PersistenceOptions,
    private readonly logger: Logger,
    private readonly encodeState: () => Uint8Array,
    /** Rows in the update log right now. */
    public logLength: number,
    /** Upper bound of the document's encoded size (stored bytes plus bytes received since). */
    public bytes: number,
  ) {}

  get pendingCount(): number {
    return this.pending.length;
  }

  enqueue(update: Uint8Array, userId: string | null): void {
    this.pending.push({ update, userId, receivedAt: new Date() });
    this.bytes += update.byteLength;
    this.schedule(this.options.flushMs);
  }

  /** Stores what is pending now; true when nothing is left pending. Never throws. */
  flush(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return true;
    const batch = this.pending;
    const started = process.hrtime.bigint();
    try {
      this.store.append(this.briefingId, batch);
    } catch (err) {
      return this.failed(err, batch);
    }
    this.pending = this.pending.slice(batch.length);
    this.failures = 0;
    this.logLength += batch.length;
    collabMetrics.updatesPersisted.inc(batch.length);
    collabMetrics.persistSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (this.logLength >= this.options.compactAfter) this.compact();
    return this.pending.length === 0;
  }

  /** Replaces the snapshot with the live state. Safe with updates still pending: applying one twice is a no-op in Yjs. */
  compact(): boolean {
    try {
      const state = this.encodeState();
      this.store.compact(this.briefingId, state);
      this.logLength = 0;
      this.bytes = state.byteLength + this.pending.reduce((n, u) => n + u.update.byteLength, 0);
      collabMetrics.compactions.inc();
      return true;
    } catch (err) {
      this.logger.error("collab compaction failed", err, { briefingId: this.briefingId });
      return false;
    }
  }

  /** Forgets pending updates (the briefing was deleted) and stops the timer. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private failed(err: unknown, batch: PendingUpdate[]): boolean {
    if (this.briefingIsGone()) {
      this.logger.info("collab", "briefing deleted; dropping its pending updates", { briefingId: this.briefingId, pending: batch.length });
      this.dispose();
      this.onGone();
      return true;
    }
    this.failures++;
    collabMetrics.persistFailures.inc();
    this.logger.error("collab store failed; keeping updates and retrying", err, {
      briefingId: this.briefingId,
      userId: batch[batch.length - 1]?.userId ?? null,
      pending: batch.length,
      attempt: this.failures,
    });
    // Retry on the next tick, backing off to at most a second while the database is unhappy.
    this.schedule(Math.min(this.options.flushMs * 2 ** this.failures, 1000));
    return false;
  }

  private briefingIsGone(): boolean {
    try {
      return !this.store.exists(this.briefingId);
    } catch {
      return false;
    }
  }

  private schedule(delay: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.flush()) this.onDrained();
    }, delay);
  }
}
