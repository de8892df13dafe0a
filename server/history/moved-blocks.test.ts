import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";
import { compareRendered, type ComparedBlock } from "./compare";
import { MAX_SIMILAR_PAIRS, movedBlocks, nearlyEqual } from "./moved-blocks";
import { renderDoc, type Rendered } from "./rendered";

/** A block as the editor writes it into Yjs. */
function block(type: string, text: string, attrs: Record<string, string> = {}): Y.XmlElement {
  const el = new Y.XmlElement(type);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

function docWith(blocks: Y.XmlElement[]): { doc: Y.Doc; frag: Y.XmlFragment } {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment(COLLAB_FIELD);
  frag.insert(0, blocks);
  return { doc, frag };
}

/** Cut and paste, or drag and drop, as y-prosemirror writes it: the block deleted and a new one with its text inserted, in one transaction. */
function move(doc: Y.Doc, frag: Y.XmlFragment, from: number, to: number, edit = (t: string) => t) {
  doc.transact(() => {
    const old = frag.get(from) as Y.XmlElement;
    const text = edit((old.get(0) as Y.XmlText).toString());
    const copy = block(old.nodeName, text);
    frag.insert(to, [copy]);
    frag.delete(to <= from ? from + 1 : from, 1);
  });
}

function compare(older: Rendered, newer: Rendered, clients: Record<string, string> = {}): ComparedBlock[] {
  return compareRendered(older, newer, clients, null).blocks;
}

const textOf = (b: ComparedBlock, op?: string) => b.segments.filter((s) => !op || s.op === op).map((s) => s.text).join("");
const changes = (blocks: ComparedBlock[]) => blocks.map((b) => b.change);

const PARAGRAPHS = ["The delegation arrives on Monday.", "Energy corridor talks resume on Tuesday with both delegations present.", "Visa liberalisation remains open.", "Joint press conference at noon."];

describe("movedBlocks: blocks without a blockId", () => {
  it("shows a paragraph cut and pasted elsewhere once, as moved from its position to the new one", () => {
    const { doc, frag } = docWith(PARAGRAPHS.map((t) => block("paragraph", t)));
    const older = renderDoc(doc);
    move(doc, frag, 0, 3); // after "Visa liberalisation…"
    const blocks = compare(older, renderDoc(doc), { [doc.clientID]: "mover" });
    expect(changes(blocks)).toEqual(["same", "same", "moved", "same"]);
    const moved = blocks[2];
    expect(moved.move).toEqual({ from: 1, to: 3 });
    expect(textOf(moved)).toBe(PARAGRAPHS[0]);
    expect(textOf(moved, "same")).toBe(PARAGRAPHS[0]);
    expect(moved.movedBy).toBe("mover");
  });

  it("pairs by trimmed text and type: a heading is not a paragraph, and a different paragraph is removed and added", () => {
    const { doc, frag } = docWith([block("heading", "Energy", { level: "2" }), block("paragraph", "Energy"), block("paragraph", "Tariffs stay as they are.")]);
    const older = renderDoc(doc);
    doc.transact(() => {
      // The paragraph "Energy" goes to the end with a trailing space (a paste may add one); the
      // heading is deleted and a paragraph with other words added.
      frag.delete(0, 2);
      frag.insert(0, [block("paragraph", "Tariffs go up by a tenth.")]);
      frag.insert(frag.length, [block("paragraph", "Energy ")]);
    });
    const blocks = compare(older, renderDoc(doc));
    const byText = (t: string) => blocks.filter((b) => textOf(b).trim() === t);
    expect(byText("Energy").map((b) => [b.type, b.change])).toEqual([
      ["heading", "removed"],
      ["paragraph", "moved"],
    ]);
    expect(byText("Energy")[1].move).toEqual({ from: 1, to: 3 });
    expect(byText("Tariffs go up by a tenth.").map((b) => b.change)).toEqual(["added"]);
  });

  it("pairs a nearly equal copy (85 % of the longer text kept) and diffs its text; a rewritten one stays removed and added", () => {
    const long = "The minister will raise the transit fees for the northern corridor.";
    const { doc, frag } = docWith([block("paragraph", long), block("paragraph", "Second."), block("paragraph", "Ankara proposes a working group on water rights.")]);
    const older = renderDoc(doc);
    move(doc, frag, 0, 2, (t) => t.replace("raise", "raise sharply")); // 68 of 76 characters kept
    move(doc, frag, 2, 0, () => "Baku rejects any working group at this stage."); // the same place, other words
    const blocks = compare(older, renderDoc(doc));
    const moved = blocks.find((b) => b.change === "moved")!;
    expect(moved.move).toEqual({ from: 1, to: 3 });
    expect(textOf(moved, "del")).toBe("");
    expect(textOf(moved, "ins").trim()).toBe("sharply");
    expect(textOf(moved, "same")).toBe(long);
    expect(blocks.filter((b) => b.change === "added").map((b) => textOf(b))).toEqual(["Baku rejects any working group at this stage."]);
    expect(blocks.filter((b) => b.change === "removed").map((b) => textOf(b))).toEqual(["Ankara proposes a working group on water rights."]);
  });

  it("pairs in document order, each block at most once; empty blocks never", () => {
    const { doc, frag } = docWith([block("paragraph", "Noted."), block("paragraph", ""), block("paragraph", "Noted."), block("paragraph", "End.")]);
    const older = renderDoc(doc);
    doc.transact(() => {
      frag.delete(0, 3);
      frag.insert(1, [block("paragraph", "Noted."), block("paragraph", "")]);
    });
    const blocks = compare(older, renderDoc(doc));
    // One copy of "Noted." now, after "End.": the first removed one moved, the second removed.
    const noted = blocks.filter((b) => textOf(b) === "Noted.");
    expect(noted.map((b) => b.change)).toEqual(["removed", "moved"]);
    expect(noted[1].move).toEqual({ from: 1, to: 2 });
    const empty = blocks.filter((b) => textOf(b) === "");
    expect(empty.map((b) => b.change).sort()).toEqual(["added", "removed"]);
  });

  it("credits text typed into the copy after the move to its author, and the move to the mover", () => {
    const { doc, frag } = docWith(PARAGRAPHS.map((t) => block("paragraph", t)));
    const typist = new Y.Doc();
    const older = renderDoc(doc);
    move(doc, frag, 1, 4);
    Y.applyUpdate(typist, Y.encodeStateAsUpdate(doc));
    const copy = (typist.getXmlFragment(COLLAB_FIELD).get(3) as Y.XmlElement).get(0) as Y.XmlText;
    copy.insert("Energy corridor".length, " and grid");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(typist));
    const blocks = compare(older, renderDoc(doc), { [doc.clientID]: "mover", [typist.clientID]: "typist" });
    const moved = blocks.find((b) => b.change === "moved")!;
    expect(moved.move).toEqual({ from: 2, to: 4 });
    expect(moved.movedBy).toBe("mover");
    expect(moved.segments.filter((s) => s.op === "ins")).toEqual([{ text: " and grid", op: "ins", author: "typist" }]);
    expect(moved.segments.filter((s) => s.op === "same").map((s) => s.author)).toEqual([null, null]);
    expect(blocks.filter((b) => b.change === "removed" || b.change === "added")).toHaveLength(0);
  });

  it("keeps moves of blocks with a blockId by blockId, even when their text changed completely", () => {
    const { doc, frag } = docWith([block("quote", "Old words", { blockId: "q1" }), block("quote", "Other quote", { blockId: "q2" })]);
    const older = renderDoc(doc);
    doc.transact(() => {
      frag.insert(2, [block("quote", "New words entirely", { blockId: "q1" })]);
      frag.delete(0, 1);
    });
    const blocks = compare(older, renderDoc(doc));
    expect(changes(blocks)).toEqual(["same", "moved"]);
    expect(blocks[1].move).toEqual({ from: 1, to: 2 });
  });
});

describe("movedBlocks: bounded work", () => {
  it("pairs exact copies across a long brief and tries at most MAX_SIMILAR_PAIRS near pairs", () => {
    // 3,000 paragraphs of similar length, all retyped (new ids), every tenth unchanged in text; the
    // others share half their words with the old one (so they are diffed) but not its characters.
    const n = 3000;
    const text = (i: number, v: string, pad: string) => `Paragraph ${i} word${i} term${i} ${v} `.padEnd(90, pad);
    const { doc, frag } = docWith(Array.from({ length: n }, (_, i) => block("paragraph", text(i, "before", "a"))));
    const older = renderDoc(doc);
    doc.transact(() => {
      frag.delete(0, n);
      frag.insert(0, Array.from({ length: n }, (_, i) => block("paragraph", i % 10 === 0 ? text(i, "before", "a") : text(i, "differs", "z"))));
      // The first paragraph ends up last: a move.
      frag.insert(n, [frag.get(0).clone() as Y.XmlElement]);
      frag.delete(0, 1);
    });
    const newer = renderDoc(doc);
    const started = performance.now();
    const moves = movedBlocks(older, newer, new Set(older.map((b) => b.key)), new Set(newer.map((b) => b.key)));
    const ms = performance.now() - started;
    expect(moves.similarPairs).toBe(MAX_SIMILAR_PAIRS);
    expect(moves.byNewerKey.size).toBe(n / 10);
    expect(moves.byNewerKey.get(newer[n - 1].key)?.move).toEqual({ from: 1, to: n });
    // Generous: a few tens of milliseconds when idle; the bound is the pair and step budget.
    expect(ms).toBeLessThan(15_000);
  });

  it("nearlyEqual stops at the edits the share allows and when its step budget is spent", () => {
    const budget = { steps: 1_000_000 };
    expect(nearlyEqual("abcdefghijklmnopqrst", "abcdefghijklmnopqrsX", budget)).toBe(true);
    expect(nearlyEqual("abcdefghijklmnopqrst", "abcdefXXXXklmnopqrst", budget)).toBe(false);
    expect(nearlyEqual("short", "a much longer text than that", budget)).toBe(false);
    const spent = 1_000_000 - budget.steps;
    expect(spent).toBeLessThan(200);
    const empty = { steps: 1 };
    const a = "one two three four five six seven eight nine ten eleven twelve";
    expect(nearlyEqual(a, a.split("").reverse().join(""), empty)).toBe(false);
    expect(empty.steps).toBeLessThanOrEqual(0);
  });
});
