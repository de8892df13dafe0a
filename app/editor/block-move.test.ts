import type { JSONContent } from "@tiptap/core";
import { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, NodeSelection } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { getBriefingSchema } from "../../extensions";
import { expectedRanges } from "../comments/comment-moves";
import { agendaMoveSpan, BLOCK_MOVE_META, canMoveAgendaTopic, moveAgendaTopic, movedRange, type BlockMove } from "./block-move";

const p = (text: string): JSONContent => ({ type: "paragraph", content: [{ type: "text", text }] });
const topic = (title: string, text: string): JSONContent => ({ type: "agendaTopic", attrs: { blockId: `t-${title}`, title }, content: [p(text)] });

function state(): EditorState {
  const doc = PMNode.fromJSON(getBriefingSchema(), {
    type: "doc",
    content: [p("Intro text"), topic("A", "alpha talking point"), p("Between"), topic("B", "bravo talking point"), topic("C", "charlie talking point")],
  });
  return EditorState.create({ doc });
}

const titles = (s: EditorState | { doc: PMNode }) => {
  const out: string[] = [];
  s.doc.forEach((n) => out.push(n.type.name === "agendaTopic" ? (n.attrs.title as string) : n.textContent));
  return out;
};

const topicPos = (s: EditorState, title: string) => {
  let found = -1;
  s.doc.forEach((n, offset) => {
    if (n.attrs.title === title) found = offset;
  });
  return found;
};

/** The range of `needle` in the document. */
const find = (doc: PMNode, needle: string) => {
  let range: { from: number; to: number } | null = null;
  doc.descendants((n, pos) => {
    if (!range && n.isText && n.text!.includes(needle)) range = { from: pos + n.text!.indexOf(needle), to: pos + n.text!.indexOf(needle) + needle.length };
  });
  return range!;
};

describe("moving agenda topics", () => {
  it("moves a topic before the previous topic, past other blocks, and selects it there", () => {
    const before = state();
    const tr = moveAgendaTopic(before, topicPos(before, "B"), "up")!;
    expect(titles(tr)).toEqual(["Intro text", "B", "A", "Between", "C"]);
    expect(tr.selection).toBeInstanceOf(NodeSelection);
    expect((tr.selection as NodeSelection).node.attrs.title).toBe("B");
    const move = tr.getMeta(BLOCK_MOVE_META) as BlockMove;
    expect(tr.doc.slice(move.newFrom, move.newFrom + (move.to - move.from)).content.eq(before.doc.slice(move.from, move.to).content)).toBe(true);
  });

  it("moves a topic after the next topic, and knows the ends of the agenda", () => {
    const before = state();
    const tr = moveAgendaTopic(before, topicPos(before, "A"), "down")!;
    expect(titles(tr)).toEqual(["Intro text", "Between", "B", "A", "C"]);
    expect(canMoveAgendaTopic(before.doc, topicPos(before, "A"), "up")).toBe(false);
    expect(canMoveAgendaTopic(before.doc, topicPos(before, "C"), "down")).toBe(false);
    expect(canMoveAgendaTopic(before.doc, topicPos(before, "B"), "down")).toBe(true);
    expect(moveAgendaTopic(before, topicPos(before, "C"), "down")).toBeNull();
    expect(moveAgendaTopic(before, 1, "up")).toBeNull(); // not a topic
  });

  it("names the span a move rewrites: both topics and what lies between them", () => {
    const before = state();
    const a = topicPos(before, "A");
    const b = topicPos(before, "B");
    const bEnd = b + before.doc.nodeAt(b)!.nodeSize;
    expect(agendaMoveSpan(before.doc, a, "down")).toEqual({ from: a, to: bEnd });
    expect(agendaMoveSpan(before.doc, b, "up")).toEqual({ from: a, to: bEnd });
    expect(before.doc.textBetween(a, bEnd, " ")).toContain("Between");
    expect(agendaMoveSpan(before.doc, a, "up")).toBeNull();
  });

  it("expects threads in the moved topic at the same offset in its new place, and others mapped", () => {
    const before = state();
    const ranges = new Map([
      ["in-moved", find(before.doc, "charlie talking")],
      ["in-passed", find(before.doc, "bravo")],
      ["before-all", find(before.doc, "Intro")],
    ]);
    const tr = moveAgendaTopic(before, topicPos(before, "C"), "up")!;
    const expected = Object.fromEntries(expectedRanges(tr, movedRange(tr, before)!, ranges).map((e) => [e.threadId, tr.doc.textBetween(e.from, e.to)]));
    expect(expected).toEqual({ "in-moved": "charlie talking", "in-passed": "bravo", "before-all": "Intro" });
  });

  it("recognises a drag-and-drop move of a selected topic, and leaves threads where they are on a copy", () => {
    const before = state();
    const from = topicPos(before, "A");
    const selected = before.apply(before.tr.setSelection(NodeSelection.create(before.doc, from)));
    const node = selected.doc.nodeAt(from)!;
    const ranges = new Map([["in-dragged", find(selected.doc, "alpha")]]);

    // What ProseMirror's drop handler does for a move: delete the dragged node, insert it at the drop point.
    const drop = selected.tr.delete(from, from + node.nodeSize);
    const at = drop.doc.content.size;
    drop.insert(at, node).setSelection(NodeSelection.create(drop.doc, at)).setMeta("uiEvent", "drop");
    const move = movedRange(drop, selected)!;
    expect(move).toEqual({ from, to: from + node.nodeSize, newFrom: at });
    const [moved] = expectedRanges(drop, move, ranges);
    expect(drop.doc.textBetween(moved.from, moved.to)).toBe("alpha");
    expect(titles(drop).at(-1)).toBe("A");

    // A copy-drop leaves the original, so the thread stays on it.
    const copy = selected.tr.insert(selected.doc.content.size, node);
    copy.setSelection(NodeSelection.create(copy.doc, selected.doc.content.size)).setMeta("uiEvent", "drop");
    const [stays] = expectedRanges(copy, movedRange(copy, selected)!, ranges);
    expect(stays).toEqual({ threadId: "in-dragged", ...ranges.get("in-dragged")! });

    // Typing is not a move.
    expect(movedRange(selected.tr.insertText("x", 1), selected)).toBeNull();
  });
});
