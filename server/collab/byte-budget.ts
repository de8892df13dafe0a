/**
 * Bytes a user may send to the collaboration server: a token bucket per user, shared by all of
 * that user's sockets, refilled at `bytesPerSecond` up to `burst`. The message-count limit alone
 * lets one socket send hundreds of near-cap messages a second, and each one of megabytes costs
 * tens of milliseconds of decoding and applying on the event loop that every briefing shares.
 */
export class ByteBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly bytesPerSecond: number,
    readonly burst: number,
  ) {}

  /** Takes `bytes` from the user's bucket; false when the user is over the budget. */
  take(userId: string, bytes: number, now = Date.now()): boolean {
    // Sweep before this user's bucket is looked up, so the sweep can never drop the bucket in use.
    if (this.buckets.size >= 10_000) this.sweep(now);
    let b = this.buckets.get(userId);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(userId, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.bytesPerSecond);
      b.at = now;
    }
    if (b.tokens < bytes) return false;
    b.tokens -= bytes;
    return true;
  }

  /** Drops buckets that are full again: they hold nothing a fresh bucket would not. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.bytesPerSecond >= this.burst) this.buckets.delete(key);
    }
  }
}
