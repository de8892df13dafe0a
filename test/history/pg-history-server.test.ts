import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { demoUser, get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { createPostgresDatabase, postgresAvailable, queryPostgres as query, type TestPostgres } from "../helpers/postgres";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * Version history on the real server on PostgreSQL (ADR 0121): versions recorded from two stock
 * y-websocket clients' edits, listed, compared and restored, all through the history threads and
 * their PostgreSQL pools; kept across a restart on the same database; and the threads' pools
 * ended at shutdown, which exits cleanly.
 */

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");
const ENV = { HISTORY_INTERVAL_MS: "300", PROJECTION_DEBOUNCE_MS: "50" };

type Version = { seq: number; kind: string; name: string | null; authors: { id: string; name: string }[]; changeBytes: number };
type Segment = { text: string; op: "same" | "ins" | "del"; author: string | null };
type Compared = { comparison: { blocks: { segments: Segment[] }[] }; authors: Record<string, { name: string }> };


/** The characters of a text, without its formatting marks. */
function plain(t: Y.XmlText): string {
  return (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

describe.skipIf(!postgresAvailable())("version history on PostgreSQL", { timeout: 240_000 }, () => {
  let database: TestPostgres;
  let server: TestServer;
  const cookies: Partial<Record<DemoRole, string>> = {};

  beforeAll(async () => {
    database = await createPostgresDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: ENV });
    for (const role of ["owner", "editor", "viewer"] as const) cookies[role] = await loginAs(server.url, role);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });
  afterEach(() => destroyAllClients());

  async function versions(cookie = cookies.viewer!): Promise<Version[]> {
    const res = await get(server.url, HISTORY + INDEX_DATA, cookie);
    expect(res.status).toBe(200);
    return ((await res.json()) as { versions: Version[] }).versions;
  }

  async function post(role: DemoRole, fields: Record<string, string>) {
    const res = await postForm(server.url, HISTORY + INDEX_DATA, cookies[role]!, fields);
    return { status: res.status, text: await res.text() };
  }

  /** Saves a named version and returns its number. */
  async function save(name: string): Promise<number> {
    const saved = await post("editor", { intent: "save", name });
    expect(saved.status).toBe(200);
    return (JSON.parse(saved.text) as { version: number }).version;
  }

  /** Waits until a fresh owner client sees `text` on the server. */
  async function serverHas(text: string, present = true) {
    await eventually(async () => {
      const c = await connectClient(server.url, cookies.owner!);
      const s = body(c.doc).toString();
      c.destroy();
      if (present) expect(s).toContain(text);
      else expect(s).not.toContain(text);
    }, 20_000, 100);
  }

  it("records versions of two stock clients' edits naming both authors, and lists them on the history page", async () => {
    // Nothing says history is off, and the database holds no version yet.
    expect(server.logs.some((l) => l.category === "history" && l.level === "warn")).toBe(false);
    expect(await versions()).toEqual([]);
    const [owner, editor] = await Promise.all([connectClient(server.url, cookies.owner!), connectClient(server.url, cookies.editor!)]);
    firstParagraph(owner.doc).insert(0, "AIGERIM-PG ");
    const p = firstParagraph(editor.doc);
    p.insert(p.length, " EMRE-PG");
    const list = await eventually(async () => {
      const l = await versions();
      expect(l.length).toBeGreaterThan(0);
      expect(new Set(l.flatMap((v) => v.authors.map((a) => a.name)))).toEqual(new Set([demoUser("owner").name, demoUser("editor").name]));
      return l;
    }, 30_000, 200);
    expect(list[0].kind).toBe("auto");
    expect(list[0].changeBytes).toBeGreaterThan(0);
    // The rows are PostgreSQL's.
    const rows = await query<{ n: string }>(database.url, "select count(*) as n from document_versions where briefing_id = $1", [BRIEFING]);
    expect(Number(rows[0].n)).toBe(list.length);

    const seq = await save("Sent to the office");
    const page = await get(server.url, HISTORY, cookies.viewer!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Sent to the office");
    expect(html).toContain(demoUser("editor").name);
    expect((await versions())[0]).toMatchObject({ seq, kind: "named", name: "Sent to the office" });
  });

  it("compares two versions in a history thread, showing the inserted and deleted text with its author", async () => {
    const editor = await connectClient(server.url, cookies.editor!);
    const from = await save("Before compare");
    const t = firstParagraph(editor.doc);
    const original = plain(t);
    t.delete(0, 7);
    t.insert(t.length, " INSERTED-BY-EMRE");
    await serverHas("INSERTED-BY-EMRE");
    const to = await save("After compare");

    const res = await get(server.url, `${HISTORY}/compare.json?a=${from}&b=${to}`, cookies.viewer!);
    expect(res.status).toBe(200);
    const { comparison, authors } = (await res.json()) as Compared;
    const segs = comparison.blocks.flatMap((b) => b.segments);
    const ins = segs.filter((s) => s.op === "ins");
    expect(ins.map((s) => s.text).join("")).toBe(" INSERTED-BY-EMRE");
    expect(segs.filter((s) => s.op === "del").map((s) => s.text).join("")).toBe(original.slice(0, 7));
    expect(authors[ins[0].author!].name).toBe(demoUser("editor").name);

    const page = await get(server.url, `${HISTORY}/compare.html?a=${from}&b=${to}`, cookies.viewer!);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<ins[^>]*>[^<]*INSERTED-BY-EMRE/);
    expect((await get(server.url, `${HISTORY}/compare.json?a=1&b=99999`, cookies.viewer!)).status).toBe(404);
  });

  it("restores an old version through the live room and records the restore", async () => {
    const owner = await connectClient(server.url, cookies.owner!);
    const point = await save("Restore point");
    // Something to undo, after the restore point: a paragraph of its own at the end.
    const undone = new Y.XmlText("TO-BE-UNDONE");
    const extra = new Y.XmlElement("paragraph");
    extra.push([undone]);
    body(owner.doc).push([extra]);
    await serverHas(undone.toString());

    for (const [role, version, status] of [["viewer", point, 403], ["editor", 99999, 404]] as const) {
      expect((await post(role, { intent: "restore", version: String(version) })).status).toBe(status);
    }
    const restored = await post("owner", { intent: "restore", version: String(point) });
    expect(restored.status).toBe(200);
    await eventually(() => expect(body(owner.doc).toString()).not.toContain("TO-BE-UNDONE"), 15_000);
    await serverHas("TO-BE-UNDONE", false);
    expect((await versions())[0]).toMatchObject({ kind: "restore", name: `Restored version ${point}` });
    const audit = await query<{ details: { restoredVersion: number } }>(database.url, "select details from audit_events where action = 'briefing.restored' order by at desc limit 1");
    expect(audit[0].details).toMatchObject({ restoredVersion: point });
  });

  it("keeps every version across a restart, ends the threads' pools at shutdown and exits 0", async () => {
    const before = await versions();
    const latest = before[0].seq;
    // The last changes of a visit become a version when the room unloads at shutdown.
    const editor = await connectClient(server.url, cookies.editor!);
    const t = firstParagraph(editor.doc);
    t.insert(t.length, " AT-SHUTDOWN");
    await serverHas("AT-SHUTDOWN");
    editor.destroy();

    const stopped = server;
    expect(await stopped.stop()).toBe(0);
    const closed = stopped.logs.filter((l) => l.message === "history thread closed its database connections");
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((l) => l.dialect === "pg")).toBe(true);
    expect(stopped.logs.filter((l) => l.level === "error")).toEqual([]);
    expect(stopped.logs.some((l) => l.message === "stopping with versions still being recorded")).toBe(false);

    server = await startTestServer({ databaseUrl: database.url, env: ENV });
    const after = await versions();
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(after.length - before.length)).toEqual(before);
    // The version the unload recorded holds the typing, and a thread of the new process compares it.
    const res = await get(server.url, `${HISTORY}/compare.json?a=${latest}&b=${after[0].seq}`, cookies.viewer!);
    expect(res.status).toBe(200);
    const { comparison } = (await res.json()) as Compared;
    expect(comparison.blocks.flatMap((b) => b.segments).filter((s) => s.op === "ins").map((s) => s.text).join("")).toBe(" AT-SHUTDOWN");
    // A new process's thread has nothing cached: it read the versions through its own pool.
    const connections = await query<{ application_name: string }>(database.url, "select application_name from pg_stat_activity where datname = current_database()");
    expect(connections.map((c) => c.application_name)).toContain("summit-desk history");
    expect(server.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});
