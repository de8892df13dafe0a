import type { Logger } from "../logger";
import type { DocumentStore, PendingUpdate } from "../persistence/document-store";
import type { CollabMetrics } from "./collab-metrics";

export interface PersistenceOptions {
  /** Group-commit tick: updates received within it are stored in one transaction. */
  flushMs: number;
  /** Fold the update log into the snapshot once it holds this many rows. */
  compactAfter: number;
  /** Where stores, failures and compactions are reported. */
  metrics: CollabMetrics;
}

/**
 * The storage side of one room: a queue of updates waiting for the next group-commit tick, the
 * retry on failure, and compaction. The room keeps every update here until the store took it.
 */
export class RoomPersistence {
  private pending: PendingUpdate[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private disposed = false;
  /** The last flush or compaction queued; the next one starts after it settles. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Called after a tick stored everything (used to finish an unload that waited for storage). */
  onDrained: () => void = () => {};
  /** Called after a batch was written (other instances learn that its updates are durable). */
  onStored: (batch: readonly PendingUpdate[]) => void = () => {};
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
    if (this.disposed) return;
    this.pending.push({ update, userId, receivedAt: new Date() });
    this.bytes += update.byteLength;
    this.schedule(this.options.flushMs);
  }

  /**
   * Stores what is pending now; resolves true when nothing is left pending. Never rejects. Turns
   * run one at a time (a flush, a compaction): updates that arrive while one is in flight wait for
   * the next tick, and a compaction never races an append of this room.
   */
  flush(): Promise<boolean> {
    this.clearTimer();
    return this.turn(() => this.flushNow());
  }

  /**
   * Replaces the snapshot with the live state, after any flush in flight. Safe with updates still
   * pending: applying one twice is a no-op in Yjs. Resolves false on failure (logged). Never rejects.
   */
  compact(): Promise<boolean> {
    return this.turn(() => this.compactNow());
  }

  private turn(work: () => Promise<boolean>): Promise<boolean> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async flushNow(): Promise<boolean> {
    if (this.pending.length === 0) return true;
    // A copy: updates enqueued while the store works must not join a batch it may still be reading.
    const batch = this.pending.slice();
    const started = process.hrtime.bigint();
    try {
      await this.store.append(this.briefingId, batch);
    } catch (err) {
      return this.failed(err, batch);
    }
    // dispose() during the append emptied the queue; slicing an empty array keeps it empty.
    this.pending = this.pending.slice(batch.length);
    this.failures = 0;
    this.logLength += batch.length;
    this.options.metrics.updatesStored(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
    this.onStored(batch);
    if (this.logLength >= this.options.compactAfter) await this.compactNow();
    return this.pending.length === 0;
  }

  private async compactNow(): Promise<boolean> {
    try {
      // Encoded now, before the await: every row logged so far is in it, and no append of this
      // room runs until the compaction finished (turns are serialized).
      const state = this.encodeState();
      await this.store.compact(this.briefingId, state);
      this.logLength = 0;
      this.bytes = state.byteLength + this.pending.reduce((n, u) => n + u.update.byteLength, 0);
      this.options.metrics.compacted();
      return true;
    } catch (err) {
      this.logger.error("collab compaction failed", err, { briefingId: this.briefingId });
      return false;
    }
  }

  /** Forgets pending updates (the briefing was deleted) and stops the timer. */
  dispose(): void {
    this.clearTimer();
    this.disposed = true;
    this.pending = [];
  }

  private async failed(err: unknown, batch: PendingUpdate[]): Promise<boolean> {
    if (this.disposed) return true;
    if (await this.briefingIsGone()) {
      this.logger.info("collab", "briefing deleted; dropping its pending updates", { briefingId: this.briefingId, pending: batch.length });
      this.dispose();
      this.onGone();
      return true;
    }
    this.failures++;
    this.options.metrics.storeFailed();
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

  private async briefingIsGone(): Promise<boolean> {
    try {
      return !(await this.store.exists(this.briefingId));
    } catch {
      return false;
    }
  }

  private schedule(delay: number): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().then((drained) => {
        if (drained && !this.disposed) this.onDrained();
      });
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
