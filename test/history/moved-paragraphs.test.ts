import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { demoUser, get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * A paragraph cut and pasted (or dragged) elsewhere is, in Yjs, a deleted paragraph and a new one
 * with the same text: Compare shows it once, as moved (docs/decisions/0119), through the real
 * server, its history threads and stock y-websocket clients.
 */

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");

type Segment = { text: string; op: "same" | "ins" | "del"; author: string | null };
type Block = { type: string; change: string; move?: { from: number; to: number }; movedBy?: string | null; segments: Segment[] };
type Compared = { comparison: { blocks: Block[] }; authors: Record<string, { name: string }> };

let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { HISTORY_INTERVAL_MS: "600000", PROJECTION_DEBOUNCE_MS: "50" } });
  for (const role of ["owner", "editor", "viewer"] as const) cookies[role] = await loginAs(server.url, role);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => destroyAllClients());

async function save(name: string): Promise<number> {
  const res = await postForm(server.url, HISTORY + INDEX_DATA, cookies.editor!, { intent: "save", name });
  expect(res.status).toBe(200);
  const list = await get(server.url, HISTORY + INDEX_DATA, cookies.owner!);
  return ((await list.json()) as { versions: { seq: number }[] }).versions[0].seq;
}

async function compare(a: number, b: number): Promise<Compared> {
  const res = await get(server.url, `${HISTORY}/compare.json?a=${a}&b=${b}`, cookies.viewer!);
  expect(res.status).toBe(200);
  return (await res.json()) as Compared;
}

/** Waits until a fresh client sees every one of `texts` on the server, and none of `gone`. */
async function serverHas(texts: string[], gone: string[] = []) {
  await eventually(async () => {
    const c = await connectClient(server.url, cookies.owner!);
    const s = body(c.doc).toString();
    c.destroy();
    for (const t of texts) expect(s).toContain(t);
    for (const t of gone) expect(s).not.toContain(t);
  }, 20_000, 100);
}

const paragraph = (text: string) => {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
};
const paragraphs = (frag: Y.XmlFragment) => frag.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "paragraph");
/** A paragraph's position among the paragraphs, 1-based, as Compare counts it. */
const positionOf = (frag: Y.XmlFragment, text: string) => paragraphs(frag).findIndex((p) => p.toString().includes(text)) + 1;
const textOf = (b: Block) => b.segments.map((s) => s.text).join("");

describe("compare of a paragraph moved by cut and paste", () => {
  it("shows it once, as moved from its old position to the new one, beside another author's edit elsewhere", async () => {
    const [editor, owner] = await Promise.all([connectClient(server.url, cookies.editor!), connectClient(server.url, cookies.owner!)]);
    const frag = body(editor.doc);
    const MOVED = "Water rights: Ankara proposes a joint commission on the Euphrates flow.";
    const DROPPED = "Cultural year: postponed until the budget is agreed.";
    const ADDED = "Press line: no comment on the pipeline tender before Friday.";
    frag.insert(frag.length, [paragraph(MOVED), paragraph("Energy: the corridor study is due in March."), paragraph(DROPPED), paragraph("Visa regime: the technical talks resume in May.")]);
    await serverHas([MOVED, DROPPED]);
    const from = await save("Before the move");
    const before = positionOf(frag, MOVED);

    // The editor drags the paragraph down past the visa one, as y-prosemirror writes a drop: the
    // old paragraph deleted and a new one with its text inserted, in one transaction. He also
    // deletes one paragraph and writes another: those are not a move.
    editor.doc.transact(() => {
      const old = paragraphs(frag).find((p) => p.toString().includes(MOVED))!;
      const visa = paragraphs(frag).find((p) => p.toString().includes("Visa regime"))!;
      frag.insert(frag.toArray().indexOf(visa) + 1, [paragraph(MOVED)]);
      frag.delete(frag.toArray().indexOf(old), 1);
    });
    editor.doc.transact(() => {
      const dropped = paragraphs(frag).find((p) => p.toString().includes(DROPPED))!;
      const at = frag.toArray().indexOf(dropped);
      frag.delete(at, 1);
      frag.insert(at, [paragraph(ADDED)]);
    });
    // Meanwhile the owner edits elsewhere.
    const first = firstParagraph(owner.doc);
    first.insert(first.length, " OWNER-NOTE");
    await serverHas(["OWNER-NOTE", ADDED], [DROPPED]);
    const to = await save("After the move");
    const after = positionOf(frag, MOVED);
    expect(after).toBeGreaterThan(before);

    const { comparison, authors } = await compare(from, to);
    const mentions = comparison.blocks.filter((b) => textOf(b).includes("Euphrates"));
    expect(mentions).toHaveLength(1);
    expect(mentions[0].change).toBe("moved");
    expect(mentions[0].move).toEqual({ from: before, to: after });
    expect(mentions[0].segments).toEqual([{ text: MOVED, op: "same", author: null }]);
    expect(authors[mentions[0].movedBy!].name).toBe(demoUser("editor").name);
    expect(comparison.blocks.filter((b) => b.change === "moved")).toHaveLength(1);

    // The other changes are what they were: the owner's words inserted and credited to her, the
    // deleted paragraph removed and the different one added.
    const ins = comparison.blocks.flatMap((b) => b.segments).filter((s) => s.op === "ins");
    expect(ins.map((s) => s.text)).toContain(" OWNER-NOTE");
    expect(authors[ins.find((s) => s.text === " OWNER-NOTE")!.author!].name).toBe(demoUser("owner").name);
    expect(comparison.blocks.filter((b) => b.change === "removed").map(textOf)).toEqual([DROPPED]);
    expect(comparison.blocks.filter((b) => b.change === "added").map(textOf)).toEqual([ADDED]);

    const page = await get(server.url, `${HISTORY}/compare.html?a=${from}&b=${to}`, cookies.viewer!);
    expect(await page.text()).toContain(`Moved from position ${before} to ${after} by ${demoUser("editor").name}`);
  }, 90_000);

  it("keeps the author of words typed into the moved paragraph after the move", async () => {
    const [editor, owner] = await Promise.all([connectClient(server.url, cookies.editor!), connectClient(server.url, cookies.owner!)]);
    const frag = body(editor.doc);
    const TEXT = "Trade: both sides aim for fifteen billion dollars of annual trade by 2030.";
    frag.insert(frag.length, [paragraph(TEXT), paragraph("Closing: the ministers sign the joint declaration.")]);
    await serverHas([TEXT]);
    const from = await save("Before the second move");
    const before = positionOf(frag, TEXT);
    editor.doc.transact(() => {
      const old = paragraphs(frag).find((p) => p.toString().includes(TEXT))!;
      frag.insert(frag.length, [paragraph(TEXT)]);
      frag.delete(frag.toArray().indexOf(old), 1);
    });
    await serverHas([`declaration.</paragraph><paragraph>${TEXT}`]);
    const after = positionOf(frag, TEXT);
    // The owner's copy has the moved paragraph now; she adds a word to it.
    await eventually(() => expect(positionOf(body(owner.doc), TEXT)).toBe(paragraphs(body(owner.doc)).length), 20_000, 50);
    const copy = paragraphs(body(owner.doc)).at(-1)!.get(0) as Y.XmlText;
    copy.insert("Trade: both sides aim for".length, " at least");
    await serverHas(["aim for at least fifteen"]);
    const to = await save("After the second move");

    const { comparison, authors } = await compare(from, to);
    const moved = comparison.blocks.filter((b) => textOf(b).includes("fifteen billion"));
    expect(moved.map((b) => b.change)).toEqual(["moved"]);
    expect(moved[0].move).toEqual({ from: before, to: after });
    expect(authors[moved[0].movedBy!].name).toBe(demoUser("editor").name);
    const ins = moved[0].segments.filter((s) => s.op === "ins");
    expect(ins.map((s) => [s.text, authors[s.author!].name])).toEqual([[" at least", demoUser("owner").name]]);
    expect(moved[0].segments.filter((s) => s.op === "del")).toEqual([]);
  }, 90_000);
});
