import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "../../server/http/comment-rate-limit";
import { RateLimiter } from "../../server/http/rate-limit";
import { createLogger } from "../../server/logger";
import { createConnectionLedger, type ConnectionLedger } from "../../server/redis/connection-ledger";
import { createSharedLimits, type SharedLimits } from "../../server/redis/shared-limits";
import { redisAvailable, startRedis, type TestRedis } from "../helpers/redis";
import { eventually } from "../helpers/yclient";

/**
 * The Redis side of docs/decisions/0113 on a real redis-server: what several instances asking at
 * the same moment get. Each "instance" here is its own client with its own in-process limiter.
 */

const hasRedis = redisAvailable();
const logger = createLogger("silent");
let redis: TestRedis;
let raw: Redis;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  raw = new Redis(redis.url);
}, 60_000);
afterAll(async () => {
  for (const o of opened) await o.close();
  raw?.disconnect();
  await redis?.stop();
});

/** The key shared-limits.ts keeps a subject's count under. */
const keyFor = (prefix: string, name: string, subject: string) => `${prefix}rl:${name}:${createHash("sha256").update(subject).digest("base64url").slice(0, 22)}`;

/**
 * The clients have no offline queue and answer in process until connected: wait until `answered`
 * (a probe whose state only Redis has) says this one is answered by Redis.
 */
async function untilShared(answered: () => Promise<boolean>): Promise<void> {
  await eventually(async () => expect(await answered()).toBe(true), 10_000, 50);
}

function limits(prefix: string): SharedLimits {
  const l = createSharedLimits({ url: redis.url, keyPrefix: prefix, timeoutMs: 2000, logger });
  opened.push(l);
  return l;
}

function ledger(prefix: string, maxPerUser: number, maxPerBriefing: number): ConnectionLedger {
  const l = createConnectionLedger({ url: redis.url, keyPrefix: prefix, maxPerUser, maxPerBriefing, instanceTimeoutMs: 3000, timeoutMs: 2000, logger });
  opened.push(l);
  return l;
}

describe.skipIf(!hasRedis)("shared limits in Redis", () => {
  it("a sign-in window refuses at the same count for attempts from three instances at once, with one first refusal", async () => {
    const prefix = "t1:";
    const instances = [limits(prefix), limits(prefix), limits(prefix)].map((l) => l.attemptLimit("login-email", new RateLimiter(10, 60_000)));
    // A probe only Redis knows is over its limit.
    await raw.set(keyFor(prefix, "login-email", "probe"), "100", "PX", 60_000);
    for (const l of instances) await untilShared(async () => !(await l.check("probe")).ok);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3].hit("someone@example.test")));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => r.firstRefusal)).toHaveLength(1);
    expect(results.every((r) => r.retryAfterSeconds > 0 && r.retryAfterSeconds <= 60)).toBe(true);
    expect((await instances[1].check("someone@example.test")).ok).toBe(false);
    await instances[2].reset("someone@example.test");
    expect((await instances[0].check("someone@example.test")).ok).toBe(true);
  });

  it("a comment bucket gives out its burst once over three instances", async () => {
    const prefix = "t2:";
    const instances = [limits(prefix), limits(prefix), limits(prefix)].map((l) => l.commentLimit(new TokenBucketLimiter(1, 5)));
    // A probe bucket only Redis knows is empty.
    await raw.hset(keyFor(prefix, "comments", "probe"), { tokens: "0", at: String(Date.now() + 3_600_000) });
    for (const l of instances) await untilShared(async () => !(await l.take("probe")).ok);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => instances[i % 3].take("user-1")));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    // One token a minute: the next is about a minute away.
    for (const r of results.filter((x) => !x.ok)) expect(r.retryAfterSeconds).toBeGreaterThan(50);
  });

  it("connection slots: instances admitting at once never exceed the cap, and released slots are free again", async () => {
    const prefix = "t3:";
    const instances = [ledger(prefix, 4, 100), ledger(prefix, 4, 100), ledger(prefix, 4, 100)];
    // Each instance writes its (empty) counts and its liveness once connected.
    await eventually(async () => expect(await raw.zcard(`${prefix}conn:instances`)).toBe(3), 10_000, 50);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => instances[i % 3].admit("user-1", "briefing-1")));
    const admitted = results.filter((r) => r.ok);
    expect(admitted).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.over === "user")).toHaveLength(8);
    for (const r of admitted) if (r.ok) r.slot.release();
    await eventually(async () => {
      const r = await instances[1].admit("user-1", "briefing-1");
      expect(r.ok).toBe(true);
    }, 10_000, 50);
  });
});
