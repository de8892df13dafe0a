import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../helpers/http";
import { redisAvailable, startRedis, type TestRedis } from "../helpers/redis";
import { startTestCluster, type TestServer } from "../helpers/server";
import { eventually } from "../helpers/yclient";

/**
 * The per-user cap on open event streams (notifications, comments) holds across real server
 * processes sharing one real redis-server (docs/decisions/0123): a user at the cap on one instance
 * is refused on another; a closed stream frees its slot at once, a killed instance's after
 * REDIS_INSTANCE_TIMEOUT_MS.
 */

const hasRedis = redisAvailable();
const PER_USER = 2;
const INSTANCE_TIMEOUT_MS = 3000;

let redis: TestRedis;
let servers: TestServer[];
let viewer: string;
const streams: Stream[] = [];

interface Stream {
  status: number;
  text: string;
  close(): void;
}

/** Opens an event stream; an admitted one stays open (its first bytes read) until close(). */
async function openStream(server: TestServer, path: string, cookie: string): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie, Accept: "text/event-stream" }, signal: controller.signal });
  if (res.status !== 200) return { status: res.status, text: await res.text(), close: () => {} };
  const reader = res.body!.getReader();
  const first = await reader.read();
  const stream: Stream = { status: 200, text: new TextDecoder().decode(first.value), close: () => controller.abort() };
  // Keep reading until closed, so the server never sees a slow reader.
  void (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // aborted by close()
    }
  })();
  streams.push(stream);
  return stream;
}

const NOTIFICATIONS = "/notifications/events";
const COMMENTS = "/briefings/ankara-summit/comments/events";

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  servers = await startTestCluster(3, redis.url, {
    env: { COLLAB_MAX_CONNECTIONS_PER_USER: String(PER_USER), REDIS_INSTANCE_TIMEOUT_MS: String(INSTANCE_TIMEOUT_MS) },
  });
  viewer = await loginAs(servers[0].url, "viewer");
}, 180_000);
afterAll(async () => {
  for (const s of streams) s.close();
  for (const s of servers ?? []) await s.stop();
  await redis?.stop();
});

describe.skipIf(!hasRedis)("event stream caps across instances", () => {
  it("refuses a user's notification stream on one instance while they hold the cap on another, and frees the slot when one closes", async () => {
    const [a, b] = [await openStream(servers[0], NOTIFICATIONS, viewer), await openStream(servers[0], NOTIFICATIONS, viewer)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.text).toContain("retry:");
    const refused = await openStream(servers[1], NOTIFICATIONS, viewer);
    expect(refused.status).toBe(429);
    expect(refused.text).toBe(`Too many open notification streams for this user (at most ${PER_USER} over all servers).`);
    // Another person, and the same person's comment streams, have caps of their own.
    expect((await openStream(servers[1], NOTIFICATIONS, await loginAs(servers[1].url, "editor"))).status).toBe(200);
    const comments = await openStream(servers[1], COMMENTS, viewer);
    expect(comments.status).toBe(200);
    comments.close();

    a.close();
    const again = await eventually(async () => {
      const s = await openStream(servers[1], NOTIFICATIONS, viewer);
      expect(s.status).toBe(200);
      return s;
    }, 15_000, 100);
    // At the cap again, now over two instances.
    expect((await openStream(servers[2], NOTIFICATIONS, viewer)).status).toBe(429);
    again.close();
    b.close();
  }, 60_000);

  it("counts comment streams once over all instances", async () => {
    await eventually(async () => {
      const s = await openStream(servers[0], COMMENTS, viewer);
      expect(s.status).toBe(200);
    }, 15_000, 100);
    expect((await openStream(servers[1], COMMENTS, viewer)).status).toBe(200);
    const refused = await openStream(servers[2], COMMENTS, viewer);
    expect(refused.status).toBe(429);
    expect(refused.text).toBe(`Too many open comment streams for this user (at most ${PER_USER} over all servers).`);
  }, 60_000);

  it("frees the slots of a killed instance's streams once its lease runs out", async () => {
    const owner = await loginAs(servers[1].url, "owner");
    for (let i = 0; i < PER_USER; i++) expect((await openStream(servers[1], NOTIFICATIONS, owner)).status).toBe(200);
    expect((await openStream(servers[2], NOTIFICATIONS, owner)).status).toBe(429);
    await servers[1].kill();
    // Nobody gave the slots back: they are freed when the dead instance's lease expires.
    const started = Date.now();
    await eventually(async () => expect((await openStream(servers[2], NOTIFICATIONS, owner)).status).toBe(200), INSTANCE_TIMEOUT_MS * 10, 200);
    expect(Date.now() - started).toBeGreaterThan(INSTANCE_TIMEOUT_MS / 3);
    expect((await openStream(servers[2], NOTIFICATIONS, owner)).status).toBe(200);
    expect((await openStream(servers[0], NOTIFICATIONS, owner)).status).toBe(429);
  }, 90_000);

  it("falls back to each instance's own cap while Redis is down, never refusing everyone nor admitting without bound", async () => {
    const commenter = await loginAs(servers[0].url, "commenter");
    await redis.kill();
    for (const server of [servers[0], servers[2]]) {
      for (let i = 0; i < PER_USER; i++) expect((await openStream(server, NOTIFICATIONS, commenter)).status).toBe(200);
      const refused = await openStream(server, NOTIFICATIONS, commenter);
      expect(refused.status).toBe(429);
      expect(refused.text).toBe(`Too many open notification streams for this user (at most ${PER_USER}).`);
    }
  }, 60_000);
});
