import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { anchorFor, commentApi } from "../comments/comment-api";
import { createBriefingOverHttp, get, login, loginAs, postForm } from "../helpers/http";
import { createPostgresDatabase, postgresAvailable, queryPostgres, type TestPostgres } from "../helpers/postgres";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, readBody, type YClient } from "../helpers/yclient";

/**
 * The real server on PostgreSQL (DATABASE_URL, docs/decisions/0111): migrated and seeded at start,
 * sign-up and sign-in, live editing over y-websocket, a restart on the same database, the
 * projection thread's rows and search, comments; and three instances started at once on one
 * empty database.
 */

const TEAM = "demo-kz-tr-desk";
// The test cluster trusts loopback connections, so the password is never checked: it is there to
// show that no log line repeats it.
const PASSWORD = "pw-that-must-not-be-logged";
const withPassword = (url: string) => url.replace("postgres://postgres@", `postgres://postgres:${PASSWORD}@`);

const query = queryPostgres;

const count = async (url: string, text: string, values: unknown[] = []) => Number((await query<{ n: string }>(url, text, values))[0].n);

/** A paragraph of its own at the top of the body, to type into (the starter outline's may be empty). */
function addParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement("paragraph");
  const run = new Y.XmlText(text);
  paragraph.insert(0, [run]);
  body(doc).insert(0, [paragraph]);
  return run;
}

function paragraphWith(doc: Y.Doc, prefix: string): Y.XmlText | undefined {
  for (const node of body(doc).toArray()) {
    const first = node instanceof Y.XmlElement ? node.get(0) : null;
    if (first instanceof Y.XmlText && first.toString().startsWith(prefix)) return first;
  }
  return undefined;
}

const logText = (server: TestServer) => server.logs.map((l) => JSON.stringify(l)).join("\n");

describe.skipIf(!postgresAvailable())("the server on PostgreSQL", { timeout: 240_000 }, () => {
  let database: TestPostgres;
  let server: TestServer;
  afterEach(() => destroyAllClients());
  beforeAll(async () => {
    database = await createPostgresDatabase();
    server = await startTestServer({ databaseUrl: withPassword(database.url) });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it("starts migrated and seeded, says it runs on PostgreSQL, and never logs the password", async () => {
    expect(server.logs.find((l) => l.message === "listening")).toMatchObject({ dialect: "pg" });
    expect(logText(server)).not.toContain(PASSWORD);
    expect(await count(database.url, "select count(*) as n from drizzle.__drizzle_migrations")).toBeGreaterThanOrEqual(3);
    expect(await count(database.url, "select count(*) as n from users where is_demo")).toBe(4);
    expect(await count(database.url, "select count(*) as n from document_snapshots where briefing_id = 'ankara-summit'")).toBe(1);
    // Nothing was written to the SQLite file the server would otherwise open.
    expect((await import("node:fs")).existsSync(server.databasePath)).toBe(false);

    // The login page's one-click demo sign-in reads the demo accounts through the store.
    const page = await (await get(server.url, "/login")).text();
    expect(page).toContain("Aigerim Nurpeisova");
    const demo = await postForm(server.url, "/login", null, { intent: "demo", userId: "demo-viewer", redirectTo: "/teams" });
    expect(demo.status).toBe(302);
    const teams = await get(server.url, `/teams/${TEAM}`, demo.headers.get("set-cookie")!.split(";")[0]);
    expect(await teams.text()).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
  });

  it("signs up and signs in a new account", async () => {
    const signup = await postForm(server.url, "/signup", null, { name: "Nurlan Ospanov", email: "nurlan@example.test", password: "nurlan-password-1" });
    expect(signup.status).toBe(302);
    const cookie = await login(server.url, "nurlan@example.test", "nurlan-password-1");
    expect((await get(server.url, "/teams", cookie)).status).toBe(200);
    expect((await postForm(server.url, "/login", null, { email: "nurlan@example.test", password: "wrong-password-1", redirectTo: "/teams" })).status).toBe(401);
  });

  it("projects the seeded briefing's blocks and finds Çavuşoğlu when searched without diacritics", async () => {
    await eventually(async () => {
      expect(await query(database.url, "select speaker from quotes where briefing_id = 'ankara-summit' and block_id = 'quote-cavusoglu'")).toEqual([
        { speaker: "Mevlüt Çavuşoğlu" },
      ]);
      expect(await count(database.url, "select count(*) as n from agenda_topics where briefing_id = 'ankara-summit'")).toBeGreaterThan(0);
    }, 60_000, 200);
    const viewer = await loginAs(server.url, "viewer");
    const hits = await (await get(server.url, `/teams/${TEAM}/search?q=Cavusoglu`, viewer)).text();
    expect(hits).toContain('href="/briefings/ankara-summit?q=Cavusoglu"');
  });

  it("two stock y-websocket clients edit a new briefing and converge; it is projected, searchable, commented on and there after a restart", async () => {
    const editor = await loginAs(server.url, "editor");
    const briefingId = await createBriefingOverHttp(server.url, editor, {
      title: "Astana working visit",
      summitName: "KZ–TR working visit",
      startDate: "2027-03-01",
      endDate: "2027-03-02",
      classification: "RESTRICTED",
    });
    expect((await get(server.url, `/briefings/${briefingId}`, editor)).status).toBe(200);

    const owner = await loginAs(server.url, "owner");
    const a: YClient = await connectClient(server.url, editor, { briefingId });
    const b: YClient = await connectClient(server.url, owner, { briefingId });
    addParagraph(a.doc, "Talks with Çavuşoğlu: ");
    const inB = await eventually(() => {
      const found = paragraphWith(b.doc, "Talks with");
      if (!found) throw new Error("the other client has not received the paragraph yet");
      return found;
    }, 15_000);
    const inA = paragraphWith(a.doc, "Talks with")!;
    for (let i = 0; i < 20; i++) {
      inA.insert(inA.length, "a");
      inB.insert(0, "b");
    }
    const converged = await eventually(() => {
      const [ta, tb] = [body(a.doc).toString(), body(b.doc).toString()];
      expect(ta).toBe(tb);
      expect(inA.toString()).toBe(inB.toString());
      expect(inA.length).toBe("Talks with Çavuşoğlu: ".length + 40);
      return ta;
    }, 20_000);

    // The projection thread writes through its own pool once the room settles.
    const viewer = await loginAs(server.url, "viewer");
    await eventually(async () => {
      const hits = await (await get(server.url, `/teams/${TEAM}/search?q=cavusoglu`, viewer)).text();
      expect(hits).toContain(`href="/briefings/${briefingId}?q=cavusoglu"`);
    }, 60_000, 200);

    const comments = commentApi(server.url, editor, briefingId);
    const posted = await comments.create(anchorFor(a.doc, "Talks with"), "Confirm the date with the embassy");
    expect(posted.status).toBeLessThan(400);
    await eventually(async () => expect((await commentApi(server.url, viewer, briefingId).threads()).map((t) => t.comments[0].body)).toContain("Confirm the date with the embassy"), 15_000);

    a.destroy();
    b.destroy();
    // Nothing on these paths reached the SQLite-only handle or failed otherwise.
    expect(server.logs.filter((l) => l.level === "error")).toEqual([]);
    expect(await server.stop()).toBe(0);
    server = await startTestServer({ databaseUrl: withPassword(database.url) });
    // Sessions live in the database too: the cookies still sign in.
    expect(await readBody(server.url, owner, briefingId)).toBe(converged);
    expect(server.logs.some((l) => l.category === "seed")).toBe(false);
    expect((await commentApi(server.url, viewer, briefingId).threads()).map((t) => t.comments[0].body)).toContain("Confirm the date with the embassy");
    expect(server.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe.skipIf(!postgresAvailable())("three instances started at once on one empty PostgreSQL database", { timeout: 240_000 }, () => {
  let database: TestPostgres;
  let servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
  });

  it("all come up; the migrations run once and the demo desk is seeded once", async () => {
    database = await createPostgresDatabase();
    servers = await Promise.all([0, 1, 2].map(() => startTestServer({ databaseUrl: database.url })));
    const migrations = await query<{ hash: string }>(database.url, "select hash from drizzle.__drizzle_migrations");
    expect(new Set(migrations.map((m) => m.hash)).size).toBe(migrations.length);
    expect(await count(database.url, "select count(*) as n from teams")).toBe(1);
    expect(await count(database.url, "select count(*) as n from users")).toBe(4);
    expect(await count(database.url, "select count(*) as n from memberships")).toBe(4);
    expect(await count(database.url, "select count(*) as n from document_snapshots where briefing_id = 'ankara-summit'")).toBe(1);
    expect(await count(database.url, "select count(*) as n from document_updates where briefing_id = 'ankara-summit'")).toBe(0);
    const seeded = servers.filter((s) => s.logs.some((l) => l.category === "seed" && l.message === "seeded demo team and briefing"));
    expect(seeded).toHaveLength(1);
    for (const s of servers) {
      const cookie = await loginAs(s.url, "viewer");
      expect(await readBody(s.url, cookie)).toContain("Kazakhstan");
    }
  });
});
