import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { demoUser, get, postForm, type DemoRole, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph, type YClient } from "../helpers/yclient";

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");

let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { HISTORY_INTERVAL_MS: "300", PROJECTION_DEBOUNCE_MS: "50" } });
  // A third writer: the commenter becomes an editor, in the real database file.
  const db = new Database(server.databasePath);
  db.prepare("update memberships set role = 'editor' where user_id = (select id from users where email = ?)").run(demoUser("commenter").email);
  db.close();
  Object.assign(cookies, await loginAll(server.url));
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => destroyAllClients());

type Version = { seq: number; kind: string; name: string | null; authors: { id: string; name: string }[]; changeBytes: number };

async function versions(cookie: string): Promise<Version[]> {
  const res = await get(server.url, HISTORY + INDEX_DATA, cookie);
  expect(res.status).toBe(200);
  return ((await res.json()) as { versions: Version[] }).versions;
}

async function post(role: DemoRole, fields: Record<string, string>) {
  const res = await postForm(server.url, HISTORY + INDEX_DATA, cookies[role]!, fields);
  return { status: res.status, body: (await res.text()) as string };
}

/** The characters of a text, without its formatting marks. */
function plain(t: Y.XmlText): string {
  return (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

function typeAt(c: YClient, text: string, where: "start" | "end" = "end") {
  const t = firstParagraph(c.doc);
  t.insert(where === "start" ? 0 : t.length, text);
}

/** Waits until the server's copy (seen by a fresh owner client) contains `text`. */
async function serverHas(text: string) {
  await eventually(async () => {
    const c = await connectClient(server.url, cookies.owner!);
    const s = body(c.doc).toString();
    c.destroy();
    expect(s).toContain(text);
  }, 15_000, 100);
}

describe("version history", () => {
  it("records versions naming every author of concurrent edits, and names the version only for editors", async () => {
    const before = (await versions(cookies.owner!)).length;
    const [a, b, c] = await Promise.all((["owner", "editor", "commenter"] as const).map((r) => connectClient(server.url, cookies[r]!)));
    typeAt(a, " AIGERIM-EDIT");
    typeAt(b, " EMRE-EDIT");
    typeAt(c, " DANA-EDIT");
    const latest = await eventually(async () => {
      const list = await versions(cookies.viewer!);
      expect(list.length).toBeGreaterThan(before);
      const names = new Set(list.slice(0, list.length - before).flatMap((v) => v.authors.map((x) => x.name)));
      expect([...names].sort()).toEqual([demoUser("owner").name, demoUser("editor").name, demoUser("commenter").name].sort());
      return list[0];
    }, 20_000, 100);
    expect(latest.changeBytes).toBeGreaterThan(0);

    expect((await post("viewer", { intent: "save", name: "Viewer's" })).status).toBe(403);
    expect((await post("editor", { intent: "save", name: "" })).status).toBe(400);
    const saved = await post("editor", { intent: "save", name: "Sent to the office" });
    expect(saved.status).toBe(200);
    const list = await versions(cookies.viewer!);
    expect(list[0]).toMatchObject({ kind: "named", name: "Sent to the office" });
  }, 60_000);

  it("compare shows exactly the inserted and deleted text, credited to its author", async () => {
    const editor = await connectClient(server.url, cookies.editor!);
    await post("editor", { intent: "save", name: "Before compare" });
    const from = (await versions(cookies.owner!))[0].seq;
    const t = firstParagraph(editor.doc);
    const original = plain(t);
    t.delete(0, 7);
    t.insert(t.length, " INSERTED-BY-EMRE");
    await serverHas("INSERTED-BY-EMRE");
    await post("editor", { intent: "save", name: "After compare" });
    const to = (await versions(cookies.owner!))[0].seq;
    const res = await get(server.url, `${HISTORY}/compare.json?a=${from}&b=${to}`, cookies.viewer!);
    expect(res.status).toBe(200);
    const { comparison, authors } = (await res.json()) as {
      comparison: { blocks: { segments: { text: string; op: string; author: string | null }[] }[] };
      authors: Record<string, { name: string }>;
    };
    const segs = comparison.blocks.flatMap((b) => b.segments);
    const ins = segs.filter((s) => s.op === "ins");
    const del = segs.filter((s) => s.op === "del");
    expect(ins.map((s) => s.text).join("")).toBe(" INSERTED-BY-EMRE");
    expect(del.map((s) => s.text).join("")).toBe(original.slice(0, 7));
    expect(authors[ins[0].author!].name).toBe(demoUser("editor").name);

    expect((await get(server.url, `${HISTORY}/compare.json?a=x&b=${to}`, cookies.viewer!)).status).toBe(400);
    expect((await get(server.url, `${HISTORY}/compare.json?a=1&b=99999`, cookies.viewer!)).status).toBe(404);
  }, 60_000);

  it("restore goes through the live room and loses none of the typing done meanwhile", async () => {
    const [owner, editor] = await Promise.all([connectClient(server.url, cookies.owner!), connectClient(server.url, cookies.editor!)]);
    await post("owner", { intent: "save", name: "Restore point" });
    const point = (await versions(cookies.owner!))[0].seq;
    // The editor keeps typing at the end of the last paragraph, looked up afresh for each keystroke.
    const lastParagraph = () => {
      const ps = body(editor.doc).toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "paragraph");
      return ps[ps.length - 1].get(0) as Y.XmlText;
    };
    // Something to undo: the owner adds a paragraph after the restore point.
    const extra = new Y.XmlElement("paragraph");
    extra.insert(0, [new Y.XmlText("TO-BE-UNDONE")]);
    body(owner.doc).insert(0, [extra]);
    await serverHas("TO-BE-UNDONE");

    expect((await post("viewer", { intent: "restore", version: String(point) })).status).toBe(403);
    expect((await post("editor", { intent: "restore", version: "abc" })).status).toBe(400);
    expect((await post("editor", { intent: "restore", version: "99999" })).status).toBe(404);

    let typedAfter = "";
    let stop = false;
    const typist = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        const ch = String.fromCharCode(65 + (i % 26));
        // Typing after the restore reached this client is what must survive.
        const restoredHere = !body(editor.doc).toString().includes("TO-BE-UNDONE");
        const t = lastParagraph();
        t.insert(t.length, ch);
        if (restoredHere) typedAfter += ch;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const restored = await post("owner", { intent: "restore", version: String(point) });
    expect(restored.status).toBe(200);
    await eventually(() => expect(typedAfter.length).toBeGreaterThan(20), 10_000);
    stop = true;
    await typist;
    await eventually(() => {
      expect(plain(lastParagraph()).slice(-typedAfter.length)).toBe(typedAfter);
      expect(body(owner.doc).toString()).toBe(body(editor.doc).toString());
      expect(body(owner.doc).toString()).not.toContain("TO-BE-UNDONE");
    }, 10_000);
    const typed = typedAfter;
    await serverHas(typed);
    const list = await versions(cookies.owner!);
    expect(list.some((v) => v.kind === "restore" && v.name === `Restored version ${point}`)).toBe(true);
    // The audit trail has the restore.
    const db = new Database(server.databasePath, { readonly: true });
    const row = db.prepare("select details from audit_events where action = 'briefing.restored' order by id desc limit 1").get() as { details: string } | undefined;
    db.close();
    expect(JSON.parse(row!.details)).toMatchObject({ restoredVersion: point });
  }, 60_000);

  it("says what changed since each person last read, per person, until they mark it read", async () => {
    const PAGE_DATA = "?_data=" + encodeURIComponent("routes/briefings.$briefingId");
    type Since = { changes: number; authors: string[]; readAt: string; stateVector: string } | null;
    const since = async (role: DemoRole): Promise<Since> => {
      const res = await get(server.url, `/briefings/${BRIEFING}${PAGE_DATA}`, cookies[role]!);
      expect(res.status).toBe(200);
      return ((await res.json()) as { sinceLastRead: Since }).sinceLastRead;
    };
    // First visits: nothing to report, and the server now remembers what each one saw.
    expect(await since("viewer")).toBeNull();
    expect(await since("owner")).toBeNull();
    const editor = await connectClient(server.url, cookies.editor!);
    typeAt(editor, " WHILE-YOU-WERE-AWAY");
    await serverHas("WHILE-YOU-WERE-AWAY");
    const forViewer = await eventually(async () => {
      const s = await since("viewer");
      expect(s).not.toBeNull();
      return s!;
    }, 10_000);
    expect(forViewer.authors).toEqual([demoUser("editor").name]);
    expect(forViewer.changes).toBeGreaterThanOrEqual(1);
    // The state vector of the last read: the text typed since is exactly what is newer than it.
    const sv = Y.decodeStateVector(new Uint8Array(Buffer.from(forViewer.stateVector, "base64")));
    expect((sv.get(editor.doc.clientID) ?? 0)).toBe(0);
    // The author is not told about their own changes.
    expect(await since("editor")).toBeNull();
    // The viewer marks it read; the owner, who has not, still sees the banner.
    const marked = await post("viewer", { intent: "read" });
    expect(marked.status).toBe(200);
    expect(await since("viewer")).toBeNull();
    expect((await since("owner"))?.authors).toEqual([demoUser("editor").name]);
  }, 60_000);
});
