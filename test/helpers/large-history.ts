import { expect } from "vitest";
import * as Y from "yjs";
import { get, postForm, type DemoRole } from "./http";
import type { TestServer } from "./server";
import { body, connectClient, eventually, type YClient } from "./yclient";

/**
 * Two saved versions of a large brief on the seeded Ankara briefing, for the tests that compare
 * them while the server must stay responsive: 500 paragraphs, and 15,000 single characters typed
 * at random places between the versions (many small Yjs items, the costly case for a rebuild).
 */
export const LARGE_HISTORY_BRIEFING = "ankara-summit";
export const HISTORY = `/briefings/${LARGE_HISTORY_BRIEFING}/history`;
export const HISTORY_INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");

/** Server settings the large history needs: no timed snapshots, and room for its big first update. */
export const LARGE_HISTORY_ENV = {
  HISTORY_INTERVAL_MS: "600000",
  COLLAB_MAX_MESSAGE_BYTES: "16777216",
  COLLAB_MAX_BYTES_PER_SECOND: "67108864",
  COLLAB_MAX_BYTES_BURST: "67108864",
} as const;

const WORDS = "the delegation will raise transit corridors energy cooperation and visa facilitation".split(" ");

export interface LargeHistory {
  from: number;
  to: number;
  /** Connected before the large content arrived (a fresh sync of it is slow on a busy machine). */
  typist: YClient;
  reader: YClient;
}

type Cookies = Partial<Record<DemoRole, string>>;

/** Builds the two versions with the owner's, editor's and viewer's sessions in `cookies`. */
export async function buildLargeHistory(server: TestServer, cookies: Cookies): Promise<LargeHistory> {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const scatter = (doc: Y.Doc, paragraphs: Y.XmlElement[], edits: number) =>
    doc.transact(() => {
      for (let e = 0; e < edits; e++) {
        const t = paragraphs[Math.floor(random() * paragraphs.length)].get(0) as Y.XmlText;
        t.insert(Math.floor(random() * t.length), WORDS[Math.floor(random() * WORDS.length)][0]);
      }
    });
  const save = async (name: string): Promise<number> => {
    const res = await postForm(server.url, HISTORY + HISTORY_INDEX_DATA, cookies.editor!, { intent: "save", name });
    expect(res.status).toBe(200);
    const list = await get(server.url, HISTORY + HISTORY_INDEX_DATA, cookies.owner!);
    return ((await list.json()) as { versions: { seq: number }[] }).versions[0].seq;
  };

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
}
