import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { moveAgendaTopic, movedRange } from "../../app/editor/block-move";
import { expectedPlaces, type SuggestionRange } from "../../app/suggestions/suggestion-moves";
import { getBriefingSchema } from "../../extensions";
import { readSampleArticle } from "../../server/seed/demo";
import { seedDocumentJSON } from "../../server/seed/demo-document";
import { findText } from "../comments/comment-api";

/**
 * Where suggestions land when an agenda topic moves, worked out on the demo briefing with the real
 * schema and move command: each kind of place (a range, a caret, a topic title) in the moved topic
 * and in the topic it swaps with must name the same text or topic afterwards.
 */

const doc = getBriefingSchema().nodeFromJSON(seedDocumentJSON(readSampleArticle()));

function topicAt(d: PMNode, title: string): { pos: number; node: PMNode } {
  let found: { pos: number; node: PMNode } | null = null;
  d.forEach((node, pos) => {
    if (!found && node.type.name === "agendaTopic" && node.attrs.title === title) found = { pos, node };
  });
  if (!found) throw new Error(`no topic "${title}"`);
  return found;
}

describe("expectedPlaces", () => {
  for (const direction of ["up", "down"] as const) {
    it(`carries ranges, carets and titles of both swapped topics when a topic moves ${direction}`, () => {
      const state = EditorState.create({ doc });
      const moving = topicAt(doc, direction === "up" ? "Counter-terrorism and organised crime" : "Regional security");
      const places = new Map<string, SuggestionRange>();
      const checks = new Map<string, (d: PMNode, p: SuggestionRange) => void>();
      for (const title of ["Regional security", "Counter-terrorism and organised crime"]) {
        const t = topicAt(doc, title);
        places.set(`title:${title}`, { from: t.pos, to: t.pos + t.node.nodeSize });
        checks.set(`title:${title}`, (d, p) => {
          expect(d.nodeAt(p.from)?.attrs.title).toBe(title);
          expect(p.to - p.from).toBe(t.node.nodeSize);
        });
      }
      for (const phrase of ["Propose a working group", "Present Kazakhstan as the anchor"]) {
        const r = findText(doc, phrase);
        places.set(`range:${phrase}`, r);
        checks.set(`range:${phrase}`, (d, p) => expect(d.textBetween(p.from, p.to)).toBe(phrase));
        places.set(`caret:${phrase}`, { from: r.to, to: r.to });
        checks.set(`caret:${phrase}`, (d, p) => {
          expect(p.to).toBe(p.from);
          expect(d.textBetween(p.from - phrase.length, p.from)).toBe(phrase);
        });
      }
      // Outside the move: left where it is.
      const purpose = findText(doc, "Prepare the delegation");
      places.set("outside", purpose);
      checks.set("outside", (d, p) => expect(d.textBetween(p.from, p.to)).toBe("Prepare the delegation"));

      const tr = moveAgendaTopic(state, moving.pos, direction)!;
      const move = movedRange(tr, state)!;
      const carried = expectedPlaces(tr, move, places);
      expect(carried.map((c) => c.id).sort()).toEqual([...places.keys()].sort());
      for (const c of carried) checks.get(c.id)!(tr.doc, c);
      // The order did change.
      expect(topicAt(tr.doc, "Counter-terrorism and organised crime").pos).toBeLessThan(topicAt(tr.doc, "Regional security").pos);
    });
  }

  it("leaves out a place the transaction deleted", () => {
    const state = EditorState.create({ doc });
    const r = findText(doc, "Propose a working group");
    const tr = moveAgendaTopic(state, topicAt(doc, "Counter-terrorism and organised crime").pos, "up")!;
    const move = movedRange(tr, state)!;
    tr.delete(tr.mapping.map(topicAt(doc, "Trade volume").pos), tr.mapping.map(topicAt(doc, "Trade volume").pos + topicAt(doc, "Trade volume").node.nodeSize));
    const inTrade = findText(doc, "increasing trade volume");
    const carried = expectedPlaces(tr, move, new Map([["kept", r], ["deleted", { from: inTrade.to, to: inTrade.to }]]));
    expect(carried.map((c) => c.id)).toEqual(["kept"]);
  });
});
