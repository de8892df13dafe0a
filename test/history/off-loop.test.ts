import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");
const WORDS = "the delegation will raise transit corridors energy cooperation and visa facilitation".split(" ");

let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({
    env: {
      HISTORY_INTERVAL_MS: "600000",
      // Every compare rebuilds both versions: the cache is too small to hold one.
      HISTORY_CACHE_MB: "1",
      COLLAB_MAX_MESSAGE_BYTES: "16777216",
      COLLAB_MAX_BYTES_PER_SECOND: "67108864",
      COLLAB_MAX_BYTES_BURST: "67108864",
    },
  });
  for (const role of ["owner", "editor", "viewer"] as const) cookies[role] = await loginAs(server.url, role);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
// The large history's clients stay for every test of the file.
afterAll(() => destroyAllClients());

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

/** Single characters typed at random places: many small Yjs items, the costly case for a rebuild. */
function scatter(doc: Y.Doc, paragraphs: Y.XmlElement[], edits: number) {
  doc.transact(() => {
    for (let e = 0; e < edits; e++) {
      const t = paragraphs[Math.floor(random() * paragraphs.length)].get(0) as Y.XmlText;
      t.insert(Math.floor(random() * t.length), WORDS[Math.floor(random() * WORDS.length)][0]);
    }
  });
}

async function save(name: string): Promise<number> {
  const res = await postForm(server.url, HISTORY + INDEX_DATA, cookies.editor!, { intent: "save", name });
  expect(res.status).toBe(200);
  const list = await get(server.url, HISTORY + INDEX_DATA, cookies.owner!);
  return ((await list.json()) as { versions: { seq: number }[] }).versions[0].seq;
}

/**
 * Two versions of a large brief (500 paragraphs, 15,000 single characters typed at random places
 * between them), and the clients that made them: built once for the tests below.
 */
let large: Promise<{ from: number; to: number; typist: YClient; reader: YClient }> | null = null;
function largeHistory() {
  large ??= (async () => {
    // A typist and a reader, connected before the large content arrives (a fresh sync of it is slow on a busy machine).
    const [editor, typist, reader] = await Promise.all([connectClient(server.url, cookies.editor!), connectClient(server.url, cookies.owner!), connectClient(server.url, cookies.viewer!)]);
    const frag = body(editor.doc);
    const paragraphs = Array.from({ length: 500 }, () => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(Array.from({ length: 40 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" "))]);
      return p;
    });
    editor.doc.transact(() => frag.insert(frag.length, paragraphs));
    scatter(editor.doc, paragraphs, 15_000);
    // The server has it all once the reader's copy has every change the editor made.
    const caughtUp = () => expect(Y.encodeStateVector(reader.doc)).toEqual(Y.encodeStateVector(editor.doc));
    await eventually(caughtUp, 60_000, 100);
    const from = await save("Large, before");
    scatter(editor.doc, paragraphs, 15_000);
    await eventually(caughtUp, 60_000, 100);
    const to = await save("Large, after");
    return { from, to, typist, reader };
  })();
  return large;
}

describe("compare off the event loop", () => {
  it("delivers live edits to another client while large comparisons run", async () => {
    const { from, to, typist, reader } = await largeHistory();

    // The typist and the reader on a small paragraph of their own at the top.
    const line = new Y.XmlElement("paragraph");
    line.insert(0, [new Y.XmlText("LIVE:")]);
    body(typist.doc).insert(0, [line]);
    const readerLine = () => {
      const first = body(reader.doc).get(0);
      return first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText ? (first.get(0) as Y.XmlText).toString() : "";
    };
    await eventually(() => expect(readerLine()).toContain("LIVE:"), 15_000);
    const sent = new Map<string, number>();
    const delays: number[] = [];
    reader.doc.on("update", () => {
      const s = readerLine();
      for (const [marker, at] of sent) {
        if (s.includes(marker)) {
          delays.push(performance.now() - at);
          sent.delete(marker);
        }
      }
    });
    let stop = false;
    let n = 0;
    const typing = (async () => {
      while (!stop) {
        const marker = `[${n++}]`;
        sent.set(marker, performance.now());
        const t = line.get(0) as Y.XmlText;
        t.insert(t.length, marker);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // Cold comparisons of the two large versions, one after another, each timed from the client.
    const compareMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await get(server.url, `${HISTORY}/compare.json?a=${from}&b=${to}`, cookies.viewer!);
      expect(res.status).toBe(200);
      const json = (await res.json()) as { comparison: { blocks: { segments: { op: string }[] }[] } };
      expect(json.comparison.blocks.some((b) => b.segments.some((s) => s.op === "ins"))).toBe(true);
      compareMs.push(performance.now() - t0);
    }
    stop = true;
    await typing;
    await eventually(() => expect(sent.size).toBe(0), 15_000);

    // Relative, so a busy machine slows both sides alike: on the event loop, an edit sent as a compare
    // starts waits for the whole compare; off it, edits keep flowing while each compare runs.
    const longestCompare = Math.max(...compareMs);
    const worstDelay = Math.max(...delays);
    expect(delays.length).toBeGreaterThan(10);
    expect(worstDelay, `compares took ${compareMs.map(Math.round).join(", ")} ms; worst edit delay ${Math.round(worstDelay)} ms`).toBeLessThan(longestCompare / 2);
  }, 240_000);
});
