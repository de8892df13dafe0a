import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoUser, get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph, type YClient } from "../helpers/yclient";

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");
const PAGE_DATA = "?_data=" + encodeURIComponent("routes/briefings.$briefingId");

type Since = { deletions: number; byAuthor: { name: string; inserted: number; deleted: number }[]; authors: string[] } | null;

let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { HISTORY_INTERVAL_MS: "600000" } });
  for (const role of ["owner", "editor", "viewer"] as const) cookies[role] = await loginAs(server.url, role);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => destroyAllClients());

async function since(role: DemoRole): Promise<Since> {
  const res = await get(server.url, `/briefings/${BRIEFING}${PAGE_DATA}`, cookies[role]!);
  expect(res.status).toBe(200);
  return ((await res.json()) as { sinceLastRead: Since }).sinceLastRead;
}

async function save(name: string) {
  expect((await postForm(server.url, HISTORY + INDEX_DATA, cookies.editor!, { intent: "save", name })).status).toBe(200);
}

/** Waits until the server's copy of the first paragraph is `client`'s. */
async function serverHasParagraphOf(client: YClient) {
  const want = firstParagraph(client.doc).toString();
  await eventually(async () => {
    const fresh = await connectClient(server.url, cookies.owner!);
    const s = firstParagraph(fresh.doc).toString();
    fresh.destroy();
    expect(s).toBe(want);
  }, 15_000, 100);
}

describe("since you last read", () => {
  it("counts exactly what each person added and deleted after the mark, not a deletion from before it", async () => {
    const [owner, editor] = await Promise.all([connectClient(server.url, cookies.owner!), connectClient(server.url, cookies.editor!)]);
    const t = firstParagraph(owner.doc);
    expect(t.length).toBeGreaterThan(40);
    await save("Before the mark");
    // Deleted after that version but before the viewer's mark: the viewer never saw it, so it is not news.
    t.delete(0, 2);
    await serverHasParagraphOf(owner);
    expect(await since("viewer")).toBeNull(); // the first visit is the mark

    // The owner adds five characters and deletes three the viewer saw; a version is taken.
    t.insert(t.length, "AAAAA");
    t.delete(0, 3);
    await serverHasParagraphOf(owner);
    await save("The owner's changes");

    // The editor, on the same paragraph: seven added, four deleted the viewer saw, and two of the
    // owner's new characters deleted (typed after the mark: not a deletion the viewer can miss).
    const e = firstParagraph(editor.doc);
    await eventually(() => expect(e.toString()).toBe(t.toString()), 15_000);
    e.delete(10, 4);
    e.insert(20, "BBBBBBB");
    e.delete(e.length - 2, 2);
    await serverHasParagraphOf(editor);

    const s = await eventually(async () => {
      const got = await since("viewer");
      expect(got?.byAuthor.find((a) => a.name === demoUser("editor").name)).toBeTruthy();
      return got!;
    }, 15_000, 100);
    const by = Object.fromEntries(s.byAuthor.map((a) => [a.name, { inserted: a.inserted, deleted: a.deleted }]));
    expect(by).toEqual({
      [demoUser("owner").name]: { inserted: 3, deleted: 3 },
      [demoUser("editor").name]: { inserted: 7, deleted: 4 },
    });
    expect(s.deletions).toBe(2);
    expect(new Set(s.authors)).toEqual(new Set([demoUser("owner").name, demoUser("editor").name]));

    // Marked read: nothing to tell until the next change.
    expect((await postForm(server.url, HISTORY + INDEX_DATA, cookies.viewer!, { intent: "read" })).status).toBe(200);
    expect(await since("viewer")).toBeNull();
  }, 90_000);
});
