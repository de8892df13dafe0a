import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../logger";
import { closeRedis, openRedis } from "./clients";

/**
 * Collaboration sockets counted across instances, for COLLAB_MAX_CONNECTIONS_PER_USER and
 * COLLAB_MAX_CONNECTIONS_PER_BRIEFING (docs/decisions/0113).
 *
 * Each instance keeps its own counts in two Redis hashes (`conn:<instance>:u` per user,
 * `conn:<instance>:b` per briefing) and its liveness as a score (Redis time of its last renewal) in
 * the sorted set `conn:instances`. An upgrade runs one Lua script that drops instances not renewed
 * for `instanceTimeoutMs` (with their hashes), sums the user's and the briefing's sockets over the
 * live ones and, when both fit, counts the new socket, all in one step: two instances admitting
 * the last free slot at the same moment cannot both get it. An instance killed without
 * decrementing therefore stops counting at most `instanceTimeoutMs` after its last renewal.
 *
 * The instance's own counts in memory are the truth it writes back: after a reconnect (Redis may
 * have restarted empty), when its entry was dropped (it stalled past the timeout) and after any
 * count Redis may have missed, the next renewal replaces its hashes with them.
 */

export type CapacityProblem = "user" | "briefing";

export interface ClusterSlot {
  /** Gives the slot back (the socket closed); idempotent. */
  release(): void;
}

export interface ConnectionLedger {
  /** Counts a socket of `userId` on `briefingId` cluster-wide, or says which cap it would exceed. */
  admit(userId: string, briefingId: string): Promise<{ ok: true; slot: ClusterSlot } | { ok: false; over: CapacityProblem }>;
  close(): Promise<void>;
}

export interface ConnectionLedgerOptions {
  url: string;
  keyPrefix: string;
  maxPerUser: number;
  maxPerBriefing: number;
  instanceTimeoutMs: number;
  /** How long an upgrade waits for Redis before it is admitted under this instance's caps alone. */
  timeoutMs: number;
  logger: Logger;
}

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** ARGV: prefix, instance, timeout ms. Drops the instances not renewed in time, with their keys. */
const PRUNE = `
local prefix, me, timeout = ARGV[1], ARGV[2], tonumber(ARGV[3])
local instances = prefix .. 'conn:instances'
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', instances, '-inf', now - timeout)) do
  if dead ~= me then
    redis.call('DEL', prefix .. 'conn:' .. dead .. ':u', prefix .. 'conn:' .. dead .. ':b', prefix .. 'conn:' .. dead .. ':alive')
    redis.call('ZREM', instances, dead)
  end
end
local function renew()
  redis.call('ZADD', instances, now, me)
  for _, k in ipairs({':u', ':b', ':alive'}) do redis.call('PEXPIRE', prefix .. 'conn:' .. me .. k, 2 * timeout) end
end`;

/**
 * ARGV 4..8: user, briefing, max per user, max per briefing, whether this instance's hashes already
 * count the socket (written by a rewrite just before). Returns {0 admitted | 1 over the user cap |
 * 2 over the briefing cap | 3 this instance's keys are gone (write them, then ask again), users, briefing}.
 */
const ADMIT = `${NOW}${PRUNE}
local user, briefing, counted = ARGV[4], ARGV[5], ARGV[8] == '1'
local mine = prefix .. 'conn:' .. me
if redis.call('EXISTS', mine .. ':alive') == 0 then return {3, 0, 0} end
if not counted then
  redis.call('HINCRBY', mine .. ':u', user, 1)
  redis.call('HINCRBY', mine .. ':b', briefing, 1)
end
renew()
local u, b = 0, 0
for _, id in ipairs(redis.call('ZRANGE', instances, 0, -1)) do
  u = u + (tonumber(redis.call('HGET', prefix .. 'conn:' .. id .. ':u', user)) or 0)
  b = b + (tonumber(redis.call('HGET', prefix .. 'conn:' .. id .. ':b', briefing)) or 0)
end
local over = 0
if u > tonumber(ARGV[6]) then over = 1 elseif b > tonumber(ARGV[7]) then over = 2 end
if over > 0 then
  if redis.call('HINCRBY', mine .. ':u', user, -1) <= 0 then redis.call('HDEL', mine .. ':u', user) end
  if redis.call('HINCRBY', mine .. ':b', briefing, -1) <= 0 then redis.call('HDEL', mine .. ':b', briefing) end
end
return {over, u, b}`;

/** ARGV 4..5: user, briefing. */
const RELEASE = `${NOW}${PRUNE}
for i, field in ipairs({ARGV[4], ARGV[5]}) do
  local key = prefix .. 'conn:' .. me .. (i == 1 and ':u' or ':b')
  if redis.call('HINCRBY', key, field, -1) <= 0 then redis.call('HDEL', key, field) end
end
return {0, 0, 0}`;

/** Renews this instance; returns {1} when its keys are still there, {0} when they must be written again. */
const RENEW = `${NOW}${PRUNE}
local alive = redis.call('EXISTS', prefix .. 'conn:' .. me .. ':alive')
if alive == 1 then renew() end
return {alive, 0, 0}`;

/** ARGV 4: number of user fields n, then n user/count pairs, then briefing/count pairs. */
const REWRITE = `${NOW}${PRUNE}
local u, b = prefix .. 'conn:' .. me .. ':u', prefix .. 'conn:' .. me .. ':b'
redis.call('DEL', u, b)
local n = tonumber(ARGV[4])
for i = 5, 4 + 2 * n, 2 do redis.call('HSET', u, ARGV[i], ARGV[i + 1]) end
for i = 5 + 2 * n, #ARGV, 2 do redis.call('HSET', b, ARGV[i], ARGV[i + 1]) end
redis.call('SET', prefix .. 'conn:' .. me .. ':alive', '1')
renew()
return {1, 0, 0}`;

export function createConnectionLedger(opts: ConnectionLedgerOptions): ConnectionLedger {
  const { logger } = opts;
  const instanceId = randomUUID();
  // One connection, so Redis applies this instance's scripts in the order they were sent (a
  // rewrite never overtakes an admit sent before it). Nothing queued while disconnected.
  const client: Redis = openRedis(opts.url, "limits", logger, { enableOfflineQueue: false, autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0 });
  const perUser = new Map<string, number>();
  const perBriefing = new Map<string, number>();
  // Set when Redis may hold other counts than ours; the next renewal writes ours.
  let dirty = true;
  let rewrites = 0;
  let degraded = false;
  let closed = false;

  const bump = (map: Map<string, number>, key: string, delta: number) => {
    const n = (map.get(key) ?? 0) + delta;
    if (n > 0) map.set(key, n);
    else map.delete(key);
  };

  const run = async (script: string, extra: (string | number)[], timeoutMs = opts.timeoutMs): Promise<number[]> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = (await Promise.race([
        client.eval(script, 0, opts.keyPrefix, instanceId, opts.instanceTimeoutMs, ...extra),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
      ])) as number[];
      if (degraded) logger.info("limits", "cluster connection counts answer again");
      degraded = false;
      return reply.map(Number);
    } catch (err) {
      // Whatever happened to this command, Redis may now count differently from us.
      dirty = true;
      if (!degraded) logger.warn("limits", "cluster connection counts unavailable: capping per instance", { error: (err as Error).message });
      degraded = true;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };

  const rewrite = async () => {
    dirty = false;
    rewrites++;
    const args: (string | number)[] = [perUser.size];
    for (const [k, n] of perUser) args.push(k, n);
    for (const [k, n] of perBriefing) args.push(k, n);
    await run(REWRITE, args, Math.max(opts.timeoutMs, 2000));
  };

  const renew = async () => {
    if (closed || client.status !== "ready") return;
    try {
      if (dirty) return await rewrite();
      const [alive] = await run(RENEW, [], Math.max(opts.timeoutMs, 2000));
      if (alive !== 1) await rewrite();
    } catch {
      // logged by run(); retried at the next renewal
    }
  };
  const timer = setInterval(() => void renew(), Math.max(250, Math.floor(opts.instanceTimeoutMs / 3)));
  timer.unref();
  client.on("ready", () => {
    dirty = true;
    void renew();
  });

  return {
    async admit(userId, briefingId) {
      // Counted here before Redis answers, so a rewrite sent meanwhile already includes it.
      bump(perUser, userId, +1);
      bump(perBriefing, briefingId, +1);
      let released = false;
      const slot: ClusterSlot = {
        release() {
          if (released) return;
          released = true;
          bump(perUser, userId, -1);
          bump(perBriefing, briefingId, -1);
          if (!closed) run(RELEASE, [userId, briefingId]).catch(() => {});
        },
      };
      const rewritesBefore = rewrites;
      let reply: number[];
      try {
        reply = await run(ADMIT, [userId, briefingId, opts.maxPerUser, opts.maxPerBriefing, 0]);
        if (reply[0] === 3) {
          // Redis lost this instance's counts (restarted, or dropped them while it stalled): write
          // them, this socket included, and check again without counting it twice.
          await rewrite();
          reply = await run(ADMIT, [userId, briefingId, opts.maxPerUser, opts.maxPerBriefing, 1]);
        }
      } catch {
        // Redis did not answer: this instance's own caps (checked before) are what applies now.
        return { ok: true, slot };
      }
      if (reply[0] === 0) return { ok: true, slot };
      if (reply[0] === 3) return { ok: true, slot }; // still no keys: the next renewal writes them
      released = true;
      bump(perUser, userId, -1);
      bump(perBriefing, briefingId, -1);
      // A rewrite sent while this was in flight wrote the socket Redis then refused.
      if (rewrites !== rewritesBefore) dirty = true;
      return { ok: false, over: reply[0] === 1 ? "user" : "briefing" };
    },
    async close() {
      closed = true;
      clearInterval(timer);
      // Leaving on purpose: this instance's sockets stop counting at once, not after the timeout.
      if (client.status === "ready") {
        const p = opts.keyPrefix;
        await Promise.race([
          client.multi().del(`${p}conn:${instanceId}:u`, `${p}conn:${instanceId}:b`, `${p}conn:${instanceId}:alive`).zrem(`${p}conn:instances`, instanceId).exec().catch(() => {}),
          new Promise((r) => setTimeout(r, 500)),
        ]);
      }
      await closeRedis(client);
    },
  };
}
