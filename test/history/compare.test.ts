import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { demoUser, get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");

type Segment = { text: string; op: "same" | "ins" | "del"; author: string | null };
type Block = { type: string; change: string; move?: { from: number; to: number }; segments: Segment[]; parts: { field: string; segments: Segment[] }[] };
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

/** Saves a named version and returns its number. */
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

/** Waits until a fresh client sees `text` on the server. */
async function serverHas(text: string) {
  await eventually(async () => {
    const c = await connectClient(server.url, cookies.owner!);
    const s = body(c.doc).toString();
    c.destroy();
    expect(s).toContain(text);
  }, 15_000, 100);
}

const inserted = (blocks: Block[], who: string, authors: Compared["authors"]) =>
  blocks
    .flatMap((b) => [...b.segments, ...b.parts.flatMap((p) => p.segments)])
    .filter((s) => s.op === "ins" && s.author && authors[s.author]?.name === who)
    .map((s) => s.text)
    .join("");

describe("compare", () => {
  it("credits each author's insertions to that author when two wrote between the versions", async () => {
    const [owner, editor] = await Promise.all([connectClient(server.url, cookies.owner!), connectClient(server.url, cookies.editor!)]);
    const from = await save("Before two authors");
    const t = firstParagraph(owner.doc);
    t.insert(t.length, " OWNER-WORDS");
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("EDITOR-WORDS")]);
    body(editor.doc).insert(body(editor.doc).length, [p]);
    await serverHas("OWNER-WORDS");
    await serverHas("EDITOR-WORDS");
    const to = await save("After two authors");
    const { comparison, authors } = await compare(from, to);
    expect(inserted(comparison.blocks, demoUser("owner").name, authors)).toBe(" OWNER-WORDS");
    expect(inserted(comparison.blocks, demoUser("editor").name, authors)).toBe("EDITOR-WORDS");
    expect(comparison.blocks.find((b) => b.segments.some((s) => s.text === "EDITOR-WORDS"))?.change).toBe("added");
  }, 60_000);

  it("shows the content of quotes, agenda topics and country facts with their insertions and deletions", async () => {
    const editor = await connectClient(server.url, cookies.editor!);
    const frag = body(editor.doc);
    const quote = new Y.XmlElement("quote");
    quote.setAttribute("blockId", "cmpquote1");
    quote.setAttribute("speaker", "A. Minister");
    quote.setAttribute("translation", "We will open the corridor");
    quote.insert(0, [new Y.XmlText("Koridoru açacağız")]);
    const topic = new Y.XmlElement("agendaTopic");
    topic.setAttribute("blockId", "cmptopic1");
    topic.setAttribute("title", "Transit corridor");
    const point = new Y.XmlElement("paragraph");
    point.insert(0, [new Y.XmlText("Raise tariffs")]);
    topic.insert(0, [point]);
    const fact = new Y.XmlElement("countryFact");
    fact.setAttribute("blockId", "cmpfact1");
    fact.setAttribute("country", "TR");
    fact.setAttribute("label", "Trade volume");
    fact.setAttribute("value", "12.5");
    fact.setAttribute("unit", "bn USD");
    frag.insert(frag.length, [quote, topic, fact]);
    await serverHas("cmpfact1");
    const from = await save("Before structured edits");

    quote.setAttribute("translation", "We will open the northern corridor");
    (quote.get(0) as Y.XmlText).insert(0, "Yarın ");
    topic.setAttribute("title", "Transit corridor agreement");
    (point.get(0) as Y.XmlText).delete(0, 6);
    fact.setAttribute("value", "14.1");
    await serverHas("14.1");
    const to = await save("After structured edits");

    const { comparison, authors } = await compare(from, to);
    const block = (type: string) => comparison.blocks.find((b) => b.type === type && b.change === "changed")!;
    const part = (b: Block, field: string) => b.parts.find((p) => p.field === field)!.segments;
    const text = (segs: Segment[], op: Segment["op"]) => segs.filter((s) => s.op === op).map((s) => s.text).join("");

    const q = block("quote");
    expect(text(q.segments, "ins")).toBe("Yarın ");
    expect(text(part(q, "translation"), "ins")).toBe("northern ");
    expect(text(part(q, "translation"), "same")).toBe("We will open the corridor");
    expect(authors[part(q, "translation").find((s) => s.op === "ins")!.author!].name).toBe(demoUser("editor").name);

    const tp = block("agendaTopic");
    expect(text(part(tp, "title"), "ins")).toBe(" agreement");
    expect(text(tp.segments, "del")).toBe("Raise ");
    expect(text(tp.segments, "same")).toBe("tariffs");

    const f = block("countryFact");
    const value = part(f, "value");
    expect(value.some((s) => s.op === "ins") && value.some((s) => s.op === "del")).toBe(true);
    expect(value.map((s) => (s.op === "del" ? "" : s.text)).join("")).toBe("14.1");
    expect(value.map((s) => (s.op === "ins" ? "" : s.text)).join("")).toBe("12.5");
    expect(text(part(f, "label"), "same")).toBe("Trade volume");

    // The page itself shows that content, not only the block's name.
    const page = await get(server.url, `${HISTORY}/compare.html?a=${from}&b=${to}`, cookies.viewer!);
    const html = await page.text();
    expect(html).toContain("northern ");
    expect(html).toContain("Transit corridor");
    expect(html).toMatch(/<del[^>]*>[^<]*Raise /);
  }, 60_000);

  it("shows a topic moved by copying once, as moved from its position to the new one, with its own changes", async () => {
    const editor = await connectClient(server.url, cookies.editor!);
    const frag = body(editor.doc);
    const topic = (blockId: string, title: string, text: string) => {
      const t = new Y.XmlElement("agendaTopic");
      t.setAttribute("blockId", blockId);
      t.setAttribute("title", title);
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(text)]);
      t.insert(0, [p]);
      return t;
    };
    frag.insert(frag.length, [topic("mvtopic1", "Energy corridor", "Pipeline capacity"), topic("mvtopic2", "Visa regime", "Visa-free travel"), topic("mvtopic3", "Culture year", "Joint festival")]);
    await serverHas("mvtopic3");
    const from = await save("Before the move");
    // Topic numbers as the brief shows them (the seed has topics of its own before these).
    const topics = () => frag.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "agendaTopic");
    const numberOf = (blockId: string) => topics().findIndex((t) => t.getAttribute("blockId") === blockId) + 1;
    const before = numberOf("mvtopic1");

    // Move down past the other two, as the editor's Move down does in Yjs: a copy after them, the original deleted.
    const original = topics().find((t) => t.getAttribute("blockId") === "mvtopic1")!;
    const copy = original.clone();
    const at = frag.toArray().indexOf(topics().find((t) => t.getAttribute("blockId") === "mvtopic3")!) + 1;
    editor.doc.transact(() => {
      frag.insert(at, [copy]);
      frag.delete(frag.toArray().indexOf(original), 1);
    });
    // And its text changed after the move.
    ((copy.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert("Pipeline".length, " and grid");
    await serverHas("and grid");
    const to = await save("After the move");
    const after = numberOf("mvtopic1");
    expect(after).toBe(before + 2);

    const { comparison, authors } = await compare(from, to);
    const mentions = comparison.blocks.filter((b) => b.type === "agendaTopic" && [...b.segments, ...b.parts.flatMap((p) => p.segments)].some((s) => s.text.includes("Pipeline") || s.text.includes("Energy corridor")));
    expect(mentions).toHaveLength(1);
    const moved = mentions[0];
    expect(moved.change).toBe("moved");
    expect(moved.move).toEqual({ from: before, to: after });
    // Only what changed is marked: the words typed after the move, credited to their author.
    const text = (op: Segment["op"]) => moved.segments.filter((s) => s.op === op).map((s) => s.text).join("");
    expect(text("ins").trim()).toBe("and grid");
    expect(text("del")).toBe("");
    expect(moved.segments.map((s) => s.text).join("")).toBe("Pipeline and grid capacity");
    expect(text("same")).toBe("Pipeline capacity");
    expect(authors[moved.segments.find((s) => s.op === "ins")!.author!].name).toBe(demoUser("editor").name);
    // The two topics it passed are unchanged, not removed and added.
    expect(comparison.blocks.filter((b) => b.change === "removed" || b.change === "added")).toHaveLength(0);

    // The compare page says so too.
    const page = await get(server.url, `${HISTORY}/compare.html?a=${from}&b=${to}`, cookies.viewer!);
    const html = await page.text();
    expect(html).toContain(`Moved from position ${before} to ${after}`);
    expect(html).toMatch(/<ins[^>]*> ?and grid ?<\/ins>/);
  }, 60_000);
});
