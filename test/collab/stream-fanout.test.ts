import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/logger";
import { createStreamFanout, type StreamFanout } from "../../server/redis/stream-fanout";
import { redisAvailable, startRedis, type TestRedis } from "../helpers/redis";
import { eventually } from "../helpers/yclient";

/**
 * The Redis stream fan-out on its own, against a real redis-server: two adapters stand for two
 * instances. What each reader reports (updates, gaps, unconfirmed updates) is what a room acts on.
 */

const hasRedis = redisAvailable();
const logger = createLogger("silent");
let redis: TestRedis;
const open: StreamFanout[] = [];

beforeAll(async () => {
  if (hasRedis) redis = await startRedis();
}, 60_000);
afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
});
afterAll(async () => {
  await redis?.stop();
});

/** Two instances of one deployment (same key prefix). */
function pair(opts: { maxEntries?: number; confirmMs?: number } = {}): [StreamFanout, StreamFanout] {
  const keyPrefix = `t${Math.random().toString(36).slice(2)}:`;
  const make = () => {
    const f = createStreamFanout({ url: redis.url, keyPrefix, maxEntries: 100, confirmMs: 60_000, blockMs: 1000, logger, ...opts });
    open.push(f);
    return f;
  };
  return [make(), make()];
}

const bytes = (n: number) => new Uint8Array([n & 0xff, (n >> 8) & 0xff, 7]);
const number = (u: Uint8Array) => u[0] | (u[1] << 8);

describe.skipIf(!hasRedis)("Redis stream fan-out", { timeout: 60_000 }, () => {
  it("delivers another instance's updates in order, never its own, from the position taken before", async () => {
    const [a, b] = pair();
    const at = await b.position!("brief-1");
    expect(at).toBe("0");
    await a.publish("brief-1", bytes(1)); // between the position and the subscription: still delivered
    const seenByB: number[] = [];
    const seenByA: number[] = [];
    let gaps = 0;
    b.subscribe("brief-1", (u) => seenByB.push(number(u)), { onGap: () => gaps++ }, at);
    a.subscribe("brief-1", (u) => seenByA.push(number(u)), {}, await a.position!("brief-1"));
    for (let i = 2; i <= 50; i++) await a.publish("brief-1", bytes(i));
    await eventually(() => expect(seenByB).toEqual(Array.from({ length: 50 }, (_, i) => i + 1)));
    expect(seenByA).toEqual([]);
    expect(gaps).toBe(0);
  });

  it("reports a gap when entries were trimmed before the reader read them", async () => {
    const [a, b] = pair({ maxEntries: 100 });
    for (let i = 1; i <= 1000; i++) await a.publish("brief-2", bytes(i));
    const seen: number[] = [];
    let gaps = 0;
    b.subscribe("brief-2", (u) => seen.push(number(u)), { onGap: () => gaps++ }, "0"); // far behind: entry 1 is long gone
    await eventually(() => expect(seen.at(-1)).toBe(1000));
    expect(gaps).toBe(1);
    expect(seen[0]).toBeGreaterThan(1);
    // What is left arrives in order, without holes after the first.
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => seen[0] + i));
  });

  it("reports a gap after Redis restarted, then delivers what is published to the new one", async () => {
    const [a, b] = pair();
    const seen: number[] = [];
    let gaps = 0;
    b.subscribe("brief-3", (u) => seen.push(number(u)), { onGap: () => gaps++ }, await b.position!("brief-3"));
    await a.publish("brief-3", bytes(1));
    await eventually(() => expect(seen).toEqual([1]));
    await redis.restart({ downMs: 200 });
    await eventually(() => expect(gaps).toBe(1), 20_000);
    await a.publish("brief-3", bytes(2));
    await eventually(() => expect(seen).toEqual([1, 2]), 20_000);
  });

  it("hands a reader the updates their instance never acknowledged storing, and only those", async () => {
    const [a, b] = pair({ confirmMs: 300 });
    const unconfirmed: number[] = [];
    const seen: number[] = [];
    b.subscribe("brief-4", (u) => seen.push(number(u)), { onUnconfirmed: (us) => unconfirmed.push(...us.map(number)) }, await b.position!("brief-4"));
    const stored = bytes(1);
    await a.publish("brief-4", stored);
    a.stored!("brief-4", [stored]);
    await a.publish("brief-4", bytes(2)); // its instance "dies" before storing it
    await eventually(() => expect(seen).toEqual([1, 2]));
    await eventually(() => expect(unconfirmed).toEqual([2]), 10_000);
  });
});
