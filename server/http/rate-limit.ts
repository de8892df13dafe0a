/** What a counted attempt tells the caller (see `RateLimiter.hit`). */
export interface AttemptResult {
  ok: boolean;
  retryAfterSeconds: number;
  firstRefusal: boolean;
}

/**
 * A limit on attempts per key, as routes see it: in memory (`RateLimiter`, one instance) or shared
 * by every instance through Redis (server/redis/shared-limits.ts, docs/decisions/0113).
 */
export interface AttemptLimit {
  readonly limit: number;
  readonly windowMs: number;
  hit(key: string): Promise<AttemptResult>;
  check(key: string): Promise<{ ok: boolean; retryAfterSeconds: number }>;
  reset(key: string): Promise<void>;
}

/**
 * A fixed-window counter per key (an email, an IP address). In memory: the limit of one instance,
 * and a restart forgetting the counts is acceptable for these limits. With several instances the
 * shared limit in Redis is used and this one is its fallback while Redis does not answer.
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

/** A `RateLimiter` behind the asynchronous interface routes use. */
export function inProcessAttemptLimit(limiter: RateLimiter): AttemptLimit {
  return {
    limit: limiter.limit,
    windowMs: limiter.windowMs,
    hit: async (key) => limiter.hit(key),
    check: async (key) => limiter.check(key),
    reset: async (key) => limiter.reset(key),
  };
}

/** The limits on account endpoints, per 15-minute window. */
export interface AuthRateLimits {
  /** Failed sign-ins per email (AUTH_FAILURES_PER_EMAIL); a success resets it. */
  loginPerEmail: AttemptLimit;
  /** Sign-up attempts per email (AUTH_SIGNUPS_PER_EMAIL), whether the email is taken or not. */
  signupPerEmail: AttemptLimit;
  /** Sign-in and sign-up attempts per client address (AUTH_ATTEMPTS_PER_ADDRESS). */
  authPerAddress: AttemptLimit;
}

export const AUTH_WINDOW_MS = 15 * 60 * 1000;

/**
 * The account limits. `share` turns each in-process limiter into one every instance counts
 * together (Redis); without it they are this instance's own.
 */
export function createAuthRateLimits(
  limits: { perEmail: number; signupsPerEmail: number; perAddress: number },
  share: (name: string, local: RateLimiter) => AttemptLimit = (_name, local) => inProcessAttemptLimit(local),
): AuthRateLimits {
  return {
    loginPerEmail: share("login-email", new RateLimiter(limits.perEmail, AUTH_WINDOW_MS)),
    signupPerEmail: share("signup-email", new RateLimiter(limits.signupsPerEmail, AUTH_WINDOW_MS)),
    authPerAddress: share("auth-address", new RateLimiter(limits.perAddress, AUTH_WINDOW_MS)),
  };
}
