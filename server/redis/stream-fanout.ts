import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { FanoutListeners, RoomFanout } from "../collab/fanout";
import type { Logger } from "../logger";
import { closeRedis, newRedis, openRedis } from "./clients";

/**
 * The fan-out of room updates between server instances over Redis Streams (docs/decisions/0109).
 *
 * Each briefing has one stream. An instance appends only the updates its own clients sent (never a
 * sync reply, never an update it received from the stream), once, and stores them itself. Entry ids
 * are a per-briefing counter (`<n>-0`, assigned in one script with the append), so a reader that
 * expected entry n+1 and gets n+5 knows that four were trimmed away before it read them. A reader
 * that finds such a gap, or reconnects to Redis (which may have restarted and lost the stream), or
 * receives an update whose dependencies it lacks, tells the room, which reloads its stored state
 * and merges it: a replica never silently diverges.
 *
 * After each write to storage an instance appends an acknowledgement (`a`: the highest entry of its
 * own it has now stored). An update another instance published and did not acknowledge within
 * `confirmMs` (that instance died between receiving and storing it) is stored by the readers
 * themselves: stored once normally, at least once when an instance dies.
 *
 * Awareness (carets) goes over pub/sub: it is ephemeral and every client refreshes its state every
 * 15 s, so a lost message heals by itself and a stream would only store what nobody needs later.
 */

export interface StreamFanoutOptions {
  url: string;
  /** Prefix of every key and channel (REDIS_KEY_PREFIX). */
  keyPrefix: string;
  /** Approximate length each stream is trimmed to (REDIS_STREAM_MAX_ENTRIES). */
  maxEntries: number;
  logger: Logger;
  /**
   * How long another instance has to acknowledge storing an update before the readers store it
   * themselves; well above COLLAB_FLUSH_MS, so that it happens only when that instance died.
   */
  confirmMs: number;
  /** Longest a blocking read waits before it is issued again (tests shorten it). */
  blockMs?: number;
}

export interface StreamFanout extends RoomFanout {
  close(): Promise<void>;
}

/**
 * Appends an entry whose id is the briefing's next counter value. If the counter was lost while the
 * stream was not (an operator deleted one key), it continues after the stream's last entry.
 */
const APPEND = `
local seq = redis.call('INCR', KEYS[2])
local ok = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'o', ARGV[2], ARGV[3], ARGV[4])
if type(ok) == 'table' and ok.err then
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  seq = tonumber(string.match(last[1][1], '^(%d+)')) + 1
  redis.call('SET', KEYS[2], seq)
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'o', ARGV[2], ARGV[3], ARGV[4])
end
return seq
`;

/** How long a room load waits for the stream position before it opens without one (Redis down). */
const POSITION_TIMEOUT_MS = 1000;
/** Entries read per stream per round trip. */
const READ_COUNT = 512;

interface Subscription {
  onUpdate(update: Uint8Array): void;
  listeners: FanoutListeners;
  /** Counter value of the last entry seen; null: unknown, find it and report a gap. */
  last: number | null;
  /** Updates of other instances not yet acknowledged as stored, oldest first. */
  unconfirmed: { origin: string; seq: number; update: Uint8Array; at: number }[];
}

export function createStreamFanout(opts: StreamFanoutOptions): StreamFanout {
  const { logger } = opts;
  // Its own entries are skipped when read back (36 ASCII bytes, also the prefix of awareness messages).
  const instanceId = randomUUID();
  const blockMs = opts.blockMs ?? 5000;
  const commands = openRedis(opts.url, "commands", logger);
  const awareness = openRedis(opts.url, "awareness", logger);
  const subs = new Map<string, Subscription>();
  const streamKey = (briefingId: string) => `${opts.keyPrefix}doc:{${briefingId}}`;
  const counterKey = (briefingId: string) => `${opts.keyPrefix}doc:{${briefingId}}:seq`;
  const awarenessChannel = (briefingId: string) => `${opts.keyPrefix}aw:{${briefingId}}`;
  const originBytes = Buffer.from(instanceId);
  let closed = false;
  /** Entry ids of this instance's own published updates, for the acknowledgements. */
  const published = new WeakMap<Uint8Array, Promise<number>>();
  const append = (briefingId: string, field: "u" | "a", value: Buffer | string) =>
    commands.eval(APPEND, 2, streamKey(briefingId), counterKey(briefingId), opts.maxEntries, instanceId, field, value) as Promise<number>;

  // --- Reading: one blocking connection for every briefing loaded here ---------------------------
  let reader: Redis | null = null;
  let readerId: number | null = null;
  /** Bumped whenever the set of streams to read changes; a read issued before must be interrupted. */
  let version = 0;
  let inFlight: { version: number } | null = null;
  let wake: (() => void) | null = null;

  const interrupt = () => {
    version++;
    wake?.();
    void unblockStale();
  };

  // CLIENT UNBLOCK travels on another connection, so it may arrive before the read it is meant for;
  // it is repeated until the stale read has returned.
  let unblocking = false;
  async function unblockStale(): Promise<void> {
    if (unblocking) return;
    unblocking = true;
    try {
      while (!closed && inFlight && inFlight.version < version && readerId !== null) {
        await commands.client("UNBLOCK", readerId).catch(() => {});
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      unblocking = false;
    }
  }

  async function connectReader(): Promise<Redis> {
    // No automatic reconnect: a reconnected reader would resend its last read with positions that
    // mean nothing in a restarted Redis. The loop opens a new connection and re-finds them.
    const client = newRedis(opts.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectionName: "summit-desk:stream-reader" });
    client.on("error", () => {}); // reported by the loop, once per outage
    await client.connect();
    readerId = Number(await client.client("ID"));
    return client;
  }

  /** Streams whose position is unknown: read the counter (before the room reads storage), then report the gap. */
  async function refindPositions(client: Redis): Promise<void> {
    for (const [briefingId, sub] of subs) {
      if (sub.last !== null) continue;
      const value = await client.get(counterKey(briefingId));
      if (subs.get(briefingId) !== sub) continue;
      sub.last = Number(value ?? 0);
      sub.listeners.onGap?.();
    }
  }

  function deliver(reply: unknown): void {
    for (const [keyBuf, entries] of reply as [Buffer, [Buffer, Buffer[]][]][]) {
      const key = keyBuf.toString();
      const briefingId = key.slice(key.indexOf("{") + 1, key.lastIndexOf("}"));
      const sub = subs.get(briefingId);
      if (!sub || sub.last === null) continue;
      let gap = false;
      for (const [idBuf, fields] of entries) {
        const seq = Number.parseInt(idBuf.toString(), 10);
        if (seq <= sub.last) continue;
        if (seq !== sub.last + 1) gap = true;
        sub.last = seq;
        const field = (name: string) => {
          for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i].toString() === name) return fields[i + 1];
          return undefined;
        };
        const origin = field("o")?.toString() ?? "";
        if (origin === instanceId) continue;
        const ack = field("a");
        if (ack) {
          const upTo = Number(ack.toString());
          sub.unconfirmed = sub.unconfirmed.filter((u) => u.origin !== origin || u.seq > upTo);
          continue;
        }
        const raw = field("u");
        if (!raw) continue;
        // A copy: the reply parser may reuse the memory of large replies, and this one is kept.
        const update = Uint8Array.from(raw);
        sub.unconfirmed.push({ origin, seq, update, at: Date.now() });
        try {
          sub.onUpdate(update);
        } catch (err) {
          logger.error("collab fan-out update handler failed", err, { briefingId });
        }
      }
      if (gap) {
        logger.warn("collab", "fan-out entries were trimmed before this instance read them; catching up from storage", { briefingId });
        sub.listeners.onGap?.();
      }
    }
  }

  async function readLoop(): Promise<void> {
    let backoff = 50;
    let down = false;
    while (!closed) {
      if (!reader) {
        try {
          reader = await connectReader();
          if (down) logger.info("redis", "connection restored", { role: "stream-reader" });
          down = false;
          backoff = 50;
        } catch (err) {
          reader?.disconnect();
          reader = null;
          if (!down) logger.warn("redis", "connection lost", { role: "stream-reader", error: (err as Error).message });
          down = true;
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 2000);
          continue;
        }
      }
      const client = reader;
      try {
        await refindPositions(client);
        const open = Array.from(subs).filter(([, s]) => s.last !== null);
        if (open.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (subs.size > 0 || closed) resolve();
          });
          wake = null;
          continue;
        }
        const keys = open.map(([id]) => streamKey(id));
        const ids = open.map(([, s]) => `${s.last}-0`);
        const flight = { version };
        inFlight = flight;
        const reply = await client.callBuffer("XREAD", "COUNT", READ_COUNT, "BLOCK", blockMs, "STREAMS", ...keys, ...ids);
        inFlight = null;
        if (reply) deliver(reply);
      } catch (err) {
        inFlight = null;
        if (closed) break;
        // Whatever happened to Redis, positions read from it before may no longer hold.
        client.disconnect();
        reader = null;
        readerId = null;
        for (const sub of subs.values()) sub.last = null;
        if (!down) logger.warn("redis", "connection lost", { role: "stream-reader", error: (err as Error).message });
        down = true;
      }
    }
  }
  const loop = readLoop();

  // Updates whose instance never acknowledged storing them go to the rooms to store.
  const sweep = setInterval(() => {
    const cutoff = Date.now() - opts.confirmMs;
    for (const [briefingId, sub] of subs) {
      let n = 0;
      while (n < sub.unconfirmed.length && sub.unconfirmed[n].at < cutoff) n++;
      if (n === 0) continue;
      const orphans = sub.unconfirmed.splice(0, n).map((u) => u.update);
      try {
        sub.listeners.onUnconfirmed?.(orphans);
      } catch (err) {
        logger.error("collab fan-out unconfirmed handler failed", err, { briefingId });
      }
    }
  }, Math.max(100, Math.floor(opts.confirmMs / 4)));
  sweep.unref();

  // --- Awareness over pub/sub -----------------------------------------------------------------
  awareness.on("messageBuffer", (channel: Buffer, message: Buffer) => {
    if (message.byteLength <= originBytes.byteLength || message.subarray(0, originBytes.byteLength).equals(originBytes)) return;
    const name = channel.toString();
    const briefingId = name.slice(name.indexOf("{") + 1, name.lastIndexOf("}"));
    const update = message.subarray(originBytes.byteLength);
    try {
      subs.get(briefingId)?.listeners.onAwareness?.(new Uint8Array(update.buffer, update.byteOffset, update.byteLength));
    } catch (err) {
      logger.error("collab fan-out awareness handler failed", err, { briefingId });
    }
  });

  const failSoft = (what: string, briefingId: string) => (err: unknown) => {
    if (!closed) logger.warn("redis", `${what} failed`, { briefingId, error: (err as Error).message });
  };

  return {
    async publish(briefingId, update) {
      const seq = append(briefingId, "u", Buffer.from(update.buffer, update.byteOffset, update.byteLength));
      published.set(update, seq);
      await seq;
    },

    stored(briefingId, updates) {
      const seqs = updates.map((u) => published.get(u)).filter((p): p is Promise<number> => p !== undefined);
      if (seqs.length === 0) return;
      void Promise.all(seqs)
        .then((ids) => append(briefingId, "a", String(Math.max(...ids))))
        .catch(failSoft("stored acknowledgement", briefingId));
    },

    async position(briefingId) {
      const value = await Promise.race([
        commands.get(counterKey(briefingId)).then((v) => String(Number(v ?? 0))),
        new Promise<null>((r) => setTimeout(() => r(null), POSITION_TIMEOUT_MS).unref()),
      ]).catch(() => null);
      return value;
    },

    subscribe(briefingId, onUpdate, listeners = {}, from = null) {
      const parsed = from === null ? Number.NaN : Number(from);
      const sub: Subscription = { onUpdate, listeners, last: Number.isInteger(parsed) && parsed >= 0 ? parsed : null, unconfirmed: [] };
      subs.set(briefingId, sub);
      void awareness.subscribe(awarenessChannel(briefingId)).catch(failSoft("awareness subscribe", briefingId));
      interrupt();
      return () => {
        if (subs.get(briefingId) !== sub) return;
        subs.delete(briefingId);
        void awareness.unsubscribe(awarenessChannel(briefingId)).catch(failSoft("awareness unsubscribe", briefingId));
        interrupt();
      };
    },

    publishAwareness(briefingId, update) {
      // Not queued through an outage: a caret from a minute ago is worse than none.
      if (commands.status !== "ready") return;
      const message = Buffer.concat([originBytes, update]);
      void commands.publish(awarenessChannel(briefingId), message).catch(failSoft("awareness publish", briefingId));
    },

    async close() {
      closed = true;
      clearInterval(sweep);
      wake?.();
      reader?.disconnect();
      await loop;
      await Promise.all([closeRedis(commands), closeRedis(awareness)]);
    },
  };
}
