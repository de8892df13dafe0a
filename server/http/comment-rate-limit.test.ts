import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "./comment-rate-limit";

describe("TokenBucketLimiter", () => {
  it("allows the burst, refuses the next with the seconds until a token is back, and refills at the rate", () => {
    const limiter = new TokenBucketLimiter(30, 3); // a token every 2 s
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take("a", t0).ok).toBe(true);
    expect(limiter.take("a", t0)).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.take("a", t0 + 1000)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("b", t0).ok).toBe(true);
    expect(limiter.take("a", t0 + 2000).ok).toBe(true);
    expect(limiter.take("a", t0 + 2000).ok).toBe(false);
    // A long pause refills to the burst, never beyond it.
    for (let i = 0; i < 3; i++) expect(limiter.take("a", t0 + 3_600_000).ok).toBe(true);
    expect(limiter.take("a", t0 + 3_600_000).ok).toBe(false);
  });
});
