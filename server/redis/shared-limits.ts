import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { TokenBucketLimiter, CommentRateLimit } from "../http/comment-rate-limit";
import type { AttemptLimit, AttemptResult, RateLimiter } from "../http/rate-limit";
import type { Logger } from "../logger";
import { closeRedis, openRedis } from "./clients";

/**
 * The HTTP rate limits (sign-in and sign-up attempts, comments and suggestions) counted once for
 * all instances, in Redis (docs/decisions/0113). Each check is one Lua script, so two instances
 * counting the same key at the same moment cannot both see the last free slot.
 *
 * The in-process limiter stays: every attempt is counted there too, and its answer is used when
 * Redis does not answer within `timeoutMs`. So a Redis outage neither locks everyone out (Redis
 * may be restarted at any time, docs/decisions/0109) nor lifts the limits: each instance limits on
 * its own meanwhile, at most N times the allowance with N instances, as before this existed.
 */

export class SharedLimitUnavailableError extends Error {
  readonly code = "SHARED_LIMIT_UNAVAILABLE";
  constructor(cause: unknown) {
    super(`shared rate limit did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "SharedLimitUnavailableError";
  }
}

export interface SharedLimitsOptions {
  url: string;
  keyPrefix: string;
  /** How long a check waits for Redis before the in-process answer is used. */
  timeoutMs: number;
  logger: Logger;
}

export interface SharedLimits {
  attemptLimit(name: string, local: RateLimiter): AttemptLimit;
  commentLimit(local: TokenBucketLimiter): CommentRateLimit;
  close(): Promise<void>;
}

/** INCR with the window set by the first attempt (the in-process limiter's fixed window). */
const HIT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

const CHECK = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
return {n, redis.call('PTTL', KEYS[1])}`;

/**
 * The token bucket of TokenBucketLimiter, on Redis's clock (the instances' clocks may differ):
 * ARGV = tokens per millisecond, burst. Returns {1, 0} or {0, seconds until a token is back}.
 * Tokens are kept as a string, since Lua numbers returned to Redis are cut to integers.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
if ok == 1 then return {1, 0} end
return {0, math.max(1, math.ceil((1 - tokens) / perMs / 1000))}`;

export function createSharedLimits(opts: SharedLimitsOptions): SharedLimits {
  const { logger } = opts;
  // No offline queue and no resend: a check that cannot be answered now is answered in process,
  // never counted later behind the caller's back.
  const client: Redis = openRedis(opts.url, "limits", logger, { enableOfflineQueue: false, autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0 });
  let degraded = false;

  // Emails and addresses are personal data: Redis holds only a hash of each.
  const keyFor = (name: string, key: string) => `${opts.keyPrefix}rl:${name}:${createHash("sha256").update(key).digest("base64url").slice(0, 22)}`;

  async function run(script: string, key: string, args: (string | number)[]): Promise<[number, number]> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        client.eval(script, 1, key, ...args) as Promise<[number, number]>,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${opts.timeoutMs} ms`)), opts.timeoutMs))),
      ]);
      if (degraded) logger.info("limits", "shared rate limits answer again");
      degraded = false;
      return [Number(reply[0]), Number(reply[1])];
    } catch (err) {
      throw new SharedLimitUnavailableError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The shared answer, or the in-process one (logged once per outage) when Redis does not give it. */
  async function orLocal<T>(what: string, shared: () => Promise<T>, local: T): Promise<T> {
    try {
      return await shared();
    } catch (err) {
      if (!degraded) logger.warn("limits", "shared rate limits unavailable: limiting per instance", { limit: what, error: (err as Error).message });
      degraded = true;
      return local;
    }
  }

  return {
    attemptLimit(name, local) {
      return {
        limit: local.limit,
        windowMs: local.windowMs,
        async hit(key): Promise<AttemptResult> {
          const here = local.hit(key);
          return orLocal(name, async () => {
            const [n, ttl] = await run(HIT, keyFor(name, key), [local.windowMs]);
            return { ok: n <= local.limit, retryAfterSeconds: Math.ceil(ttl / 1000), firstRefusal: n === local.limit + 1 };
          }, here);
        },
        async check(key) {
          const here = local.check(key);
          return orLocal(name, async () => {
            const [n, ttl] = await run(CHECK, keyFor(name, key), []);
            return n < local.limit || ttl <= 0 ? { ok: true, retryAfterSeconds: 0 } : { ok: false, retryAfterSeconds: Math.ceil(ttl / 1000) };
          }, here);
        },
        async reset(key) {
          local.reset(key);
          await orLocal(name, async () => void (await run("redis.call('DEL', KEYS[1]) return {0, 0}", keyFor(name, key), [])), undefined);
        },
      };
    },
    commentLimit(local) {
      const perMs = local.perMinute / 60_000;
      return {
        async take(userId) {
          const here = local.take(userId);
          return orLocal("comments", async () => {
            const [ok, retryAfterSeconds] = await run(TAKE, keyFor("comments", userId), [perMs, local.burst]);
            return { ok: ok === 1, retryAfterSeconds };
          }, here);
        },
      };
    },
    close: () => closeRedis(client),
  };
}
