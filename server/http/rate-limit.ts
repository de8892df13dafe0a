/**
 * A fixed-window counter per key (an email, an IP address). In memory: one process serves the
 * app, and a restart forgetting the counts is acceptable for these limits.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /**
   * Counts one attempt; `ok` false means the caller should answer 429 with `retryAfterSeconds`.
   * `firstRefusal` is true for the one attempt that went over the limit in this window: callers
   * record that, not every refused attempt, so a flood cannot flood the audit trail too.
   */
  hit(key: string, now = Date.now()): { ok: boolean; retryAfterSeconds: number; firstRefusal: boolean } {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    w.count += 1;
    return { ok: w.count <= this.limit, retryAfterSeconds: Math.ceil((w.start + this.windowMs - now) / 1000), firstRefusal: w.count === this.limit + 1 };
  }

  /** Whether `key` is over its limit now, without counting an attempt (for paths that cannot fail). */
  check(key: string, now = Date.now()): { ok: boolean; retryAfterSeconds: number } {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) return { ok: true, retryAfterSeconds: 0 };
    return { ok: w.count < this.limit, retryAfterSeconds: Math.ceil((w.start + this.windowMs - now) / 1000) };
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}

/** The limits on account endpoints, per 15-minute window. */
export interface AuthRateLimits {
  /** Failed sign-ins per email (AUTH_FAILURES_PER_EMAIL); a success resets it. */
  loginPerEmail: RateLimiter;
  /** Sign-up attempts per email (AUTH_SIGNUPS_PER_EMAIL), whether the email is taken or not. */
  signupPerEmail: RateLimiter;
  /** Sign-in and sign-up attempts per client address (AUTH_ATTEMPTS_PER_ADDRESS). */
  authPerAddress: RateLimiter;
}

export function createAuthRateLimits(limits: { perEmail: number; signupsPerEmail: number; perAddress: number }): AuthRateLimits {
  const fifteenMinutes = 15 * 60 * 1000;
  return {
    loginPerEmail: new RateLimiter(limits.perEmail, fifteenMinutes),
    signupPerEmail: new RateLimiter(limits.signupsPerEmail, fifteenMinutes),
    authPerAddress: new RateLimiter(limits.perAddress, fifteenMinutes),
  };
}
