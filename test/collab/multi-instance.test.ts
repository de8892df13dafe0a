import path from "node:path";
import WebSocket from "ws";
import { readAuthMessage } from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { openPostgres } from "../../db/pg/client";
import { createSqliteDocumentStore, type DocumentStore } from "../../server/persistence/document-store";
import { createPgDocumentStore } from "../../server/persistence/pg-document-store";
import { anchorFor, commentApi } from "../comments/comment-api";
import { openEventStream } from "../helpers/event-stream";
import { loginAs, postForm } from "../helpers/http";
import { awarenessMarker } from "../helpers/marker";
import { createPostgresDatabase, postgresAvailable, type TestPostgres } from "../helpers/postgres";
import { redisAvailable, startRedis, type TestRedis } from "../helpers/redis";
import { startTestCluster, tempDir, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, DEMO_BRIEFING, eventually, firstParagraph, waitForSync, type YClient } from "../helpers/yclient";

/**
 * Three real server processes on one database and one real redis-server, with stock y-websocket
 * clients spread across them (docs/decisions/0109): once on one SQLite file (WAL, one host), once
 * on one PostgreSQL database (docs/decisions/0111), each run with a Redis of its own so that
 * neither reads the other's streams.
 */

const TEAM = "demo-kz-tr-desk";
const hasRedis = redisAvailable();
const DIALECTS = [
  { dialect: "sqlite", available: hasRedis },
  { dialect: "pg", available: hasRedis && postgresAvailable() },
] as const;

// Condition waits, generous for a machine busy with other suites: each wait ends as soon as its
// condition holds, and a change that never arrives still fails. "At once" in a case means pushed
// to the other instance (no polling, no reconnect), not within a stopwatch time.
/** A change made through one instance showing on another. */
const LIVE_MS = 15_000;
/** Typists getting a given number of keystrokes in. */
const TYPING_MS = 30_000;
/** The database holding what the clients show (each instance's group commit, then compaction). */
const STORED_MS = 30_000;

afterEach(() => destroyAllClients());

/** The document as the instances' one database holds it now (snapshot and log), read the way a room loads it. */
async function storedBody(server: TestServer): Promise<string> {
  const read = async (store: DocumentStore) => {
    const stored = await store.load(DEMO_BRIEFING);
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    return body(doc).toString();
  };
  if (server.databaseUrl) {
    const db = openPostgres(server.databaseUrl, { max: 1 });
    try {
      return await read(createPgDocumentStore(db));
    } finally {
      await db.$client.end();
    }
  }
  const db = openDatabase(server.databasePath);
  try {
    return await read(createSqliteDocumentStore(db));
  } finally {
    db.$client.close();
  }
}

/**
 * Types `count` tokens at the start or the end of the first paragraph (never inside another token,
 * so each stays readable), yielding between keystrokes as a typist would.
 */
function typist(client: YClient, name: string, count: number, typed: { token: string; at: number }[]) {
  let stop = false;
  const done = (async () => {
    for (let i = 0; i < count && !stop; i++) {
      const text = firstParagraph(client.doc);
      const token = `<${name}-${i}>`;
      text.insert(Math.random() < 0.5 ? 0 : text.length, token);
      typed.push({ token, at: Date.now() });
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return { done, stop: () => void (stop = true) };
}

/**
 * When each `<name-…>` token first showed in `client`'s document. A client of the instance that
 * received the token from its typist is sent it while that instance handles it, so the instance
 * had received it by then, however slowly a busy machine runs either process.
 */
function arrivals(client: YClient, name: string): Map<string, number> {
  const seen = new Map<string, number>();
  const pattern = new RegExp(`<${name}-\\d+>`, "g");
  body(client.doc).observeDeep((events) => {
    const now = Date.now();
    for (const e of events) {
      for (const d of e.delta) {
        if (typeof d.insert !== "string") continue;
        for (const [token] of d.insert.matchAll(pattern)) if (!seen.has(token)) seen.set(token, now);
      }
    }
  });
  return seen;
}

/** Every client shows the same body, and it contains every token. */
async function converged(clients: YClient[], tokens: string[], timeoutMs = 30_000): Promise<string> {
  return eventually(
    () => {
      const text = body(clients[0].doc).toString();
      for (const c of clients.slice(1)) expect(body(c.doc).toString()).toBe(text);
      const missing = tokens.filter((t) => !text.includes(t));
      expect(missing).toEqual([]);
      return text;
    },
    timeoutMs,
    50,
  );
}

/**
 * A stock provider that, like a client behind a load balancer, reconnects to `next` when its
 * instance goes away. Its Origin follows the instance it connects to (behind a balancer both are
 * the one public origin).
 */
function failoverClient(server: TestServer, next: TestServer, cookie: string): YClient {
  class FollowingOrigin extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, {
        headers: {
          Cookie: cookie,
          Origin: new URL(String(url)).origin.replace(/^ws/, "http"),
        },
      });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url.replace(/^http/, "ws") + "/collab", DEMO_BRIEFING, doc, {
    WebSocketPolyfill: FollowingOrigin as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const closes: YClient["closes"] = [];
  provider.on("connection-close", (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
    provider.serverUrl = next.url.replace(/^http/, "ws") + "/collab";
  });
  const client: YClient = {
    doc,
    provider,
    closes,
    destroy: () => (provider.destroy(), doc.destroy()),
  };
  opened.push(client);
  return client;
}
const opened: YClient[] = [];
afterEach(() => opened.splice(0).forEach((c) => c.destroy()));

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`several server instances with Redis, on ${dialect}`, { timeout: 120_000 }, () => {
    let redis: TestRedis;
    let database: TestPostgres | undefined;
    let servers: TestServer[];
    let editor: string;
    let owner: string;

    beforeAll(async () => {
      redis = await startRedis();
      if (dialect === "pg") database = await createPostgresDatabase();
      // Explicit either way, so TEST_DATABASE does not turn the SQLite run into a second PostgreSQL one.
      servers = await startTestCluster(3, redis.url, database ? { databaseUrl: database.url } : { databasePath: path.join(tempDir(), "cluster.db") });
      editor = await loginAs(servers[0].url, "editor");
      owner = await loginAs(servers[1].url, "owner");
    }, 180_000);
    // A failed case shows what the instances logged as going wrong, which its assertion cannot say.
    beforeEach(({ onTestFailed }) =>
      onTestFailed(() => {
        for (const [i, server] of servers.entries()) {
          const lines = server.logs.filter((l) => l.level === "warn" || l.level === "error").slice(-10);
          process.stderr.write(`\ninstance ${i} (${server.url}), its last warnings and errors:\n${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
        }
      }),
    );
    afterAll(async () => {
      for (const s of servers ?? []) await s.stop();
      await redis?.stop();
      await database?.drop();
    });

    it("concurrent typists on three instances converge, and equal the stored state", async () => {
      expect(servers.map((s) => s.logs.find((l) => l.message === "listening")?.dialect)).toEqual([dialect, dialect, dialect]);
      const clients = await Promise.all(servers.flatMap((s) => [connectClient(s.url, editor), connectClient(s.url, editor)]));
      const typed: { token: string; at: number }[] = [];
      const typists = clients.map((c, i) => typist(c, `t${i}`, 40, typed));
      await Promise.all(typists.map((t) => t.done));
      const text = await converged(
        clients,
        typed.map((t) => t.token),
      );
      // Each instance stored only its own clients' updates, and together they make the same document.
      await eventually(async () => expect(await storedBody(servers[0])).toBe(text), STORED_MS, 100);
      // A new client of any instance reads that document.
      const fresh = await connectClient(servers[2].url, editor);
      expect(body(fresh.doc).toString()).toBe(text);
    });

    it("carets of a client on one instance show on clients of another", async () => {
      const a = await connectClient(servers[0].url, editor);
      const b = await connectClient(servers[1].url, owner);
      expect(await awarenessMarker(a, b)).toBe(true);
      const state = b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name?: string } } | undefined;
      expect(state?.user?.name).toBe("Emre Yıldız");
    });

    it("an instance killed mid-typing loses nothing it received; its clients fail over and their unsynced edits merge", async () => {
      const [victim, survivor, third] = servers;
      const movers = [failoverClient(victim, survivor, editor), failoverClient(victim, third, editor)];
      await Promise.all(movers.map((m) => waitForSync(m.provider)));
      const gone = await connectClient(victim.url, editor); // closed at the kill: cannot send anything again
      // On the victim too: what it shows of the vanished client's typing, the victim had received.
      const received = arrivals(await connectClient(victim.url, owner), "gone");
      const others = [await connectClient(survivor.url, editor), await connectClient(third.url, editor)];
      const typed: Record<string, { token: string; at: number }[]> = {
        m0: [],
        m1: [],
        gone: [],
        o0: [],
        o1: [],
      };
      const typists = [
        typist(movers[0], "m0", 10_000, typed.m0),
        typist(movers[1], "m1", 10_000, typed.m1),
        typist(gone, "gone", 10_000, typed.gone),
        typist(others[0], "o0", 10_000, typed.o0),
        typist(others[1], "o1", 10_000, typed.o1),
      ];
      const receivedBefore = (ms: number) => typed.gone.filter((t) => (received.get(t.token) ?? Infinity) < ms).map((t) => t.token);
      await eventually(() => expect(receivedBefore(Date.now() - 250).length).toBeGreaterThan(40), TYPING_MS);
      typists[2].stop();
      gone.destroy();
      const killedAt = Date.now();
      await victim.kill();
      try {
        await afterKill();
      } finally {
        // The killed instance comes back on the same database, for the tests after this one.
        servers[0] = (
          await startTestCluster(1, redis.url, {
            databasePath: victim.databasePath,
            databaseUrl: victim.databaseUrl ?? undefined,
          })
        )[0];
      }
      const fresh = await connectClient(servers[0].url, editor);
      await eventually(() => expect(body(fresh.doc).toString()).toBe(body(others[0].doc).toString()), LIVE_MS);

      async function afterKill() {
        // Typing goes on: the movers' edits wait in their documents until they reconnect.
        await eventually(() => expect(typed.m0.filter((t) => t.at > killedAt).length).toBeGreaterThan(20), TYPING_MS);
        for (const t of typists) t.stop();
        await Promise.all(typists.map((t) => t.done));

        const live = [...movers, ...others];
        const required = [
          ...[typed.m0, typed.m1, typed.o0, typed.o1].flat().map((t) => t.token),
          // What the vanished client's instance had received more than 250 ms before the kill: it
          // handed each to the stream at once and stored it within a group-commit tick.
          ...receivedBefore(killedAt - 250),
        ];
        const text = await converged(live, required);
        await eventually(async () => expect(await storedBody(survivor)).toBe(text), STORED_MS, 100);
      }
    });

    it("a role lowered through one instance makes the sockets on another read-only at once", async () => {
      const onOther = await connectClient(servers[2].url, editor);
      const watcher = await connectClient(servers[2].url, owner);
      const denied: string[] = [];
      onOther.provider.messageHandlers[2] = (_encoder, decoder) => {
        readAuthMessage(decoder, onOther.doc, (_doc, reason) => denied.push(reason));
      };
      const members = (role: string) =>
        postForm(servers[0].url, `/teams/${TEAM}/members`, owner, {
          intent: "role",
          userId: "demo-editor",
          role,
        });
      try {
        expect((await members("viewer")).status).toBe(200);
        await eventually(() => expect(denied).toEqual(["role viewer is read-only"]), LIVE_MS);
        firstParagraph(onOther.doc).insert(0, "while-viewer ");
        // Its instance read the edit (and dropped it) before this later message reached the watcher.
        expect(await awarenessMarker(onOther, watcher)).toBe(true);
        expect(body(watcher.doc).toString()).not.toContain("while-viewer");
      } finally {
        expect((await members("editor")).status).toBe(200);
      }
    });

    it("signing out on one instance closes that session's sockets on another with 4401", async () => {
      const session = await loginAs(servers[1].url, "commenter");
      const socket = await connectClient(servers[2].url, session);
      expect((await postForm(servers[0].url, "/logout", session, {})).status).toBe(302);
      await eventually(() => expect(socket.closes).toEqual([{ code: 4401, reason: "session ended: sign in again" }]), LIVE_MS);
    });

    it("a comment posted through one instance arrives live on a stream of another", async () => {
      const stream = await openEventStream(servers[1].url, `/briefings/${DEMO_BRIEFING}/comments/events`, owner);
      expect(stream.status).toBe(200);
      try {
        await eventually(() => expect(stream.text()).toContain(": connected"), LIVE_MS);
        const doc = (await connectClient(servers[2].url, editor)).doc;
        const needle = firstParagraph(doc).toString().slice(0, 12);
        const created = await commentApi(servers[2].url, editor).create(anchorFor(doc, needle), "Raised on another instance");
        expect(created.status).toBe(201);
        await eventually(() => expect(stream.text()).toContain("Raised on another instance"), LIVE_MS);
      } finally {
        stream.close();
      }
    });

    it("a mention written through one instance raises the unread count on another at once", async () => {
      const commenter = await loginAs(servers[1].url, "commenter");
      const stream = await openEventStream(servers[1].url, "/notifications/events", commenter);
      expect(stream.status).toBe(200);
      const unread = () => stream.messages.map((m) => (m.data as { unread: number }).unread);
      try {
        await eventually(() => expect(unread().length).toBeGreaterThanOrEqual(1), LIVE_MS);
        const before = unread()[unread().length - 1];
        const doc = (await connectClient(servers[2].url, editor)).doc;
        const needle = firstParagraph(doc).toString().slice(0, 12);
        const created = await commentApi(servers[2].url, editor).create(anchorFor(doc, needle), "Please check this, <@demo-commenter>");
        expect(created.status).toBe(201);
        await eventually(() => expect(unread()[unread().length - 1]).toBe(before + 1), LIVE_MS);
      } finally {
        stream.close();
      }
    });

    it("a Redis restart mid-typing ends converged with nothing lost", async () => {
      const clients = await Promise.all(servers.map((s) => connectClient(s.url, editor)));
      const typed: { token: string; at: number }[] = [];
      const typists = clients.map((c, i) => typist(c, `r${i}`, 10_000, typed));
      await eventually(() => expect(typed.length).toBeGreaterThan(60), TYPING_MS);
      await redis.restart({ downMs: 300 });
      const restartedAt = Date.now();
      await eventually(() => expect(typed.filter((t) => t.at > restartedAt).length).toBeGreaterThan(60), TYPING_MS);
      for (const t of typists) t.stop();
      await Promise.all(typists.map((t) => t.done));
      const text = await converged(
        clients,
        typed.map((t) => t.token),
      );
      await eventually(async () => expect(await storedBody(servers[0])).toBe(text), STORED_MS, 100);
      // Updates typed after the restart go through the new Redis again.
      firstParagraph(clients[0].doc).insert(0, "after-restart ");
      await converged(clients, ["after-restart "]);
    });
  });
}
