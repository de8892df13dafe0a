import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ThreadView } from "../../app/comments/types";
import { sqliteFileSql } from "../helpers/server-dialects";
import { auditRows } from "../audit/audit-db";
import { anchorFor, commentApi, json } from "../comments/comment-api";
import { loginAs, postForm } from "../helpers/http";
import { redisAvailable, startRedis, type TestRedis } from "../helpers/redis";
import { startTestCluster, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, rawSocket, upgradeStatus, type RawSocket } from "../helpers/yclient";

/**
 * The connection caps and the HTTP rate limits hold across three real server processes sharing
 * one real redis-server (docs/decisions/0113): counted once for the cluster, not once per instance.
 */

const hasRedis = redisAvailable();
const PER_USER = 3;
const PER_BRIEFING = 5;
const INSTANCE_TIMEOUT_MS = 5000;
const FAILURES_PER_EMAIL = 4;
const COMMENT_BURST = 3;

let redis: TestRedis;
let servers: TestServer[];
let cookies: Record<"owner" | "editor" | "commenter", string>;
const sockets: RawSocket[] = [];

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  servers = await startTestCluster(3, redis.url, {
    env: {
      COLLAB_MAX_CONNECTIONS_PER_USER: String(PER_USER),
      COLLAB_MAX_CONNECTIONS_PER_BRIEFING: String(PER_BRIEFING),
      REDIS_INSTANCE_TIMEOUT_MS: String(INSTANCE_TIMEOUT_MS),
      AUTH_FAILURES_PER_EMAIL: String(FAILURES_PER_EMAIL),
      // One token every 5 s: the burst cannot refill while the test spends it, on a busy machine too.
      COMMENT_RATE_PER_MINUTE: "12",
      COMMENT_RATE_BURST: String(COMMENT_BURST),
    },
  });
  const [owner, editor, commenter] = await Promise.all([loginAs(servers[0].url, "owner"), loginAs(servers[1].url, "editor"), loginAs(servers[2].url, "commenter")]);
  cookies = { owner, editor, commenter };
}, 180_000);
afterEach(() => destroyAllClients());
afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  for (const s of servers ?? []) await s.stop();
  await redis?.stop();
});

const upgrade = (server: TestServer, cookie: string) => upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: cookie });

/** Opens a socket, retrying while a slot given back a moment ago is still counted. */
async function open(server: TestServer, cookie: string): Promise<RawSocket> {
  return eventually(async () => {
    const s = rawSocket(server.url, cookie);
    try {
      await s.opened;
    } catch (err) {
      s.ws.terminate();
      throw err;
    }
    sockets.push(s);
    return s;
  }, 20_000, 100);
}

const signIn = (server: TestServer, email: string, password: string) => postForm(server.url, "/login", null, { email, password, redirectTo: "/teams" });

describe.skipIf(!hasRedis)("rate limits across instances", () => {
  it("refuse the failed sign-in after the limit at the same count however the attempts are spread, with one audit row", async () => {
    const email = "nobody-cluster@example.test";
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES_PER_EMAIL + 3; i++) statuses.push((await signIn(servers[i % 3], email, "wrong-password-1")).status);
    // Per instance the fifth attempt (on the second instance's second try) would still have been 401.
    expect(statuses).toEqual([...Array(FAILURES_PER_EMAIL).fill(401), 429, 429, 429]);
    const rows = await auditRows(sqliteFileSql(servers[0].databasePath), "action = 'auth.sign_in_rate_limited' and target = ?", email);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ limit: "email" });
  }, 60_000);

  it("forget an account's failures on every instance once it signs in", async () => {
    const email = "selin@demo.summitdesk.test";
    for (let i = 0; i < FAILURES_PER_EMAIL - 1; i++) expect((await signIn(servers[0], email, "wrong-password-1")).status).toBe(401);
    expect((await signIn(servers[1], email, "summit-demo-2026")).status).toBe(302);
    // The count started again: the full allowance, on another instance.
    for (let i = 0; i < FAILURES_PER_EMAIL; i++) expect((await signIn(servers[2], email, "wrong-password-1")).status).toBe(401);
    expect((await signIn(servers[0], email, "wrong-password-1")).status).toBe(429);
    // Locked on every instance, even for the right password.
    const locked = await signIn(servers[1], email, "summit-demo-2026");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  }, 60_000);

  it("limit a person's comments once over all instances", async () => {
    const client = await connectClient(servers[0].url, cookies.owner);
    const apis = servers.map((s) => commentApi(s.url, cookies.commenter));
    const thread = (await json<{ thread: ThreadView }>(await apis[0].create(anchorFor(client.doc, "Purpose"), "first, on one instance"), 201)).thread;
    for (let i = 1; i < COMMENT_BURST; i++) await json(await apis[i].reply(thread.id, `reply ${i} on instance ${i}`), 201);
    // Each instance has taken at most one token; together they have spent the burst.
    for (const api of apis) {
      const refused = await api.reply(thread.id, "one too many");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Another person's bucket is their own.
    await json(await commentApi(servers[1].url, cookies.editor).reply(thread.id, "I can still write"), 201);
  }, 60_000);
});

describe.skipIf(!hasRedis)("connection caps across instances", () => {
  it("refuse on one instance what the cap leaves no room for on another, and free the slot when a socket closes", async () => {
    const [a, b, c] = servers;
    const ownerSockets: RawSocket[] = [];
    for (let i = 0; i < PER_USER; i++) ownerSockets.push(await open(a, cookies.owner));
    expect(await upgrade(b, cookies.owner)).toBe(429);
    expect(await upgrade(c, cookies.owner)).toBe(429);

    // The briefing: 3 on A and 2 on B fill it, so C refuses a third person.
    await open(b, cookies.editor);
    await open(b, cookies.editor);
    expect(await upgrade(c, cookies.commenter)).toBe(503);

    // A socket closed on A gives its slot back to the cluster.
    ownerSockets[0].ws.close();
    await ownerSockets[0].closed;
    const reopened = await open(b, cookies.owner);
    expect(await upgrade(c, cookies.owner)).toBe(429);
    reopened.ws.close();
    await reopened.closed;
    ownerSockets[0] = await open(a, cookies.owner);
    expect(await upgrade(b, cookies.owner)).toBe(429);
  }, 90_000);

  it(`stop counting the sockets of a killed instance within REDIS_INSTANCE_TIMEOUT_MS`, async () => {
    const [a, b, c] = servers;
    // The previous test left the owner at the cap on A and the briefing full.
    expect(await upgrade(b, cookies.owner)).toBe(429);
    await a.kill();
    const killedAt = Date.now();
    await eventually(async () => expect(await upgrade(b, cookies.owner)).toBe(101), INSTANCE_TIMEOUT_MS + 15_000, 100);
    const elapsed = Date.now() - killedAt;
    // Its last renewal was at most a third of the timeout before the kill; the rest is a busy machine.
    expect(elapsed).toBeLessThan(INSTANCE_TIMEOUT_MS + 5000);
    await eventually(async () => expect(await upgrade(c, cookies.commenter)).toBe(101), 10_000, 100);
  }, 90_000);

  it("fall back to each instance's own caps and limits while Redis is down, and share them again once it is back", async () => {
    const [, b] = servers;
    await redis.kill();
    // Sockets: still capped, by the instance alone.
    const held: RawSocket[] = [];
    for (let i = 0; i < PER_USER; i++) held.push(await open(b, cookies.commenter));
    expect(await upgrade(b, cookies.commenter)).toBe(429);
    // Sign-in does not become unlimited: the instance counts it.
    const email = "nobody-outage@example.test";
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES_PER_EMAIL + 1; i++) statuses.push((await signIn(b, email, "wrong-password-1")).status);
    expect(statuses).toEqual([...Array(FAILURES_PER_EMAIL).fill(401), 429]);

    // Redis back, empty: B writes its counts again, so C (no socket of that user) refuses again.
    await redis.start();
    await eventually(async () => expect(await upgrade(servers[2], cookies.commenter)).toBe(429), 30_000, 200);
    for (const s of held) s.ws.close();
  }, 90_000);
});
