/**
 * A token bucket per user for writing comments (new threads, replies, edits; suggestions too):
 * `burst` comments at once, refilled at `perMinute`. Routes see only the `CommentRateLimit`
 * interface: in memory for one instance, shared through Redis by several
 * (server/redis/shared-limits.ts, docs/decisions/0113).
 */
export interface CommentRateLimit {
  /** Takes one token for `userId`; `ok` false means answer 429 with `retryAfterSeconds`. */
  take(userId: string): Promise<{ ok: boolean; retryAfterSeconds: number }>;
}

/** A `TokenBucketLimiter` behind the asynchronous interface routes use. */
export function inProcessCommentLimit(bucket: TokenBucketLimiter): CommentRateLimit {
  return { take: async (userId) => bucket.take(userId) };
}

/** The in-memory bucket: this instance's own count (and the fallback of the shared one). */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
  ) {
    this.perMs = perMinute / 60_000;
  }

  take(key: string, now = Date.now()): { ok: boolean; retryAfterSeconds: number } {
    // Sweep before this key's bucket is looked up, so the sweep can never drop the bucket in use.
    if (this.buckets.size >= 10_000) this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, retryAfterSeconds: 0 };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  /** Full buckets carry no information: forget them. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(key);
  }
}
