import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { demoUser, get, loginAs, type DemoRole } from "../helpers/http";
import { HISTORY, HISTORY_INDEX_DATA, LARGE_HISTORY_ENV } from "../helpers/large-history";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";

// A version's changes leave the pending set when its recording starts and are in the versions
// table once its compressed row is stored. A reader asking "what changed since I last read" in
// between was told "nothing": the banner blinked out while a large version was being stored.
let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { ...LARGE_HISTORY_ENV, HISTORY_INTERVAL_MS: "200" } });
  for (const role of ["owner", "editor"] as const) cookies[role] = await loginAs(server.url, role);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => destroyAllClients());

const PAGE_DATA = "?_data=" + encodeURIComponent("routes/briefings.$briefingId");
const since = async (): Promise<{ authors: string[] } | null> => {
  const res = await get(server.url, `/briefings/ankara-summit${PAGE_DATA}`, cookies.owner!);
  expect(res.status).toBe(200);
  return ((await res.json()) as { sinceLastRead: { authors: string[] } | null }).sinceLastRead;
};
const versionCount = async (): Promise<number> => {
  const res = await get(server.url, HISTORY + HISTORY_INDEX_DATA, cookies.owner!);
  expect(res.status).toBe(200);
  return ((await res.json()) as { versions: unknown[] }).versions.length;
};

describe("since you last read, while a version is being stored", () => {
  it("keeps reporting the changes between their leaving the pending set and their version row", async () => {
    expect(await since()).toBeNull(); // the owner's first visit marks the read
    const editor = await connectClient(server.url, cookies.editor!);
    const frag = body(editor.doc);
    let seed = 11;
    const word = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 100_000).toString(36);
    const answers: (string[] | null)[] = [];
    for (let round = 0; round < 3; round++) {
      const before = await versionCount();
      // A large paste: its version takes a while to compress and store.
      const paragraphs = Array.from({ length: 1500 }, () => {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(Array.from({ length: 30 }, word).join(" "))]);
        return p;
      });
      editor.doc.transact(() => frag.insert(frag.length, paragraphs));
      // From the first answer that reports the paste until its version is listed, every answer must.
      await eventually(async () => expect(await since()).not.toBeNull(), 30_000, 20);
      for (;;) {
        answers.push((await since())?.authors ?? null);
        if ((await versionCount()) > before) break;
      }
      answers.push((await since())?.authors ?? null);
    }
    expect(answers.length).toBeGreaterThan(3);
    expect(answers.filter((a) => a === null)).toEqual([]);
    expect(answers.every((a) => a!.includes(demoUser("editor").name) || a!.includes(demoUser("editor").id))).toBe(true);
  }, 120_000);
});
