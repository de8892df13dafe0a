import { createRequire } from "node:module";
import type { Redis, RedisOptions } from "ioredis";
import type { Logger } from "../logger";

/**
 * ioredis (about 90 modules, ~8 MB of the process's memory) is loaded with the first connection,
 * not at start: a server without REDIS_URL never opens one (docs/decisions/0117). It is CommonJS,
 * so `require` loads it synchronously and the callers stay synchronous.
 */
let redisClass: typeof Redis | null = null;
function loadRedis(): typeof Redis {
  redisClass ??= (createRequire(import.meta.url)("ioredis") as { Redis: typeof Redis }).Redis;
  return redisClass;
}

/** A client with exactly `options` (no shared settings): for connections that manage their own reconnects. */
export function newRedis(url: string, options: RedisOptions): Redis {
  const RedisClient = loadRedis();
  return new RedisClient(url, options);
}

/** Which connection a log line is about (each instance holds a few, one per role). */
export type RedisRole = "commands" | "stream-reader" | "awareness" | "bus" | "limits";

/**
 * Opens one Redis connection for `role` with the settings every role shares: commands wait
 * through an outage instead of failing after a few retries (a document update or an access change
 * published while Redis restarts is sent once it is back, in order), and reconnects back off up to
 * two seconds. Connection trouble is logged once per outage, not once per retry.
 */
export function openRedis(url: string, role: RedisRole, logger: Logger, extra: RedisOptions = {}): Redis {
  const client = newRedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2000),
    connectionName: `summit-desk:${role}`,
    ...extra,
  });
  let down = false;
  client.on("error", (err: Error) => {
    if (down) return;
    down = true;
    logger.warn("redis", "connection lost", { role, error: err.message });
  });
  client.on("ready", () => {
    if (down) logger.info("redis", "connection restored", { role });
    down = false;
  });
  return client;
}

/** Ends a connection without waiting for replies that will never come (Redis may be down). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  try {
    await Promise.race([client.quit(), new Promise((r) => setTimeout(r, 500))]);
  } catch {
    // already closed
  }
  client.disconnect();
}
