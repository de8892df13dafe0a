import { describe, expect, it } from "vitest";
import type { PMNode } from "../export/model";
import { sectionHash, sectionHashes, sectionLabel, WHOLE_BRIEF } from "./sections";

const p = (text: string): PMNode => ({ type: "paragraph", content: [{ type: "text", text }] });
const topic = (blockId: string, title: string, text: string): PMNode => ({ type: "agendaTopic", attrs: { blockId, title, priority: "high" }, content: [p(text)] });
const doc = (...content: PMNode[]): PMNode => ({ type: "doc", content });

describe("section hashes", () => {
  const base = doc(p("Purpose"), topic("a", "Trade", "Grow trade"), topic("b", "Energy", "Pipelines"));
  const before = sectionHashes(base);

  it("numbers and names the topics in document order", () => {
    expect(before.topics.map((t) => [t.blockId, t.number, t.title])).toEqual([["a", 1, "Trade"], ["b", 2, "Energy"]]);
    expect(sectionLabel(before, "b")).toBe("Topic 2: Energy");
    expect(sectionLabel(before, WHOLE_BRIEF)).toBe("Whole brief");
    expect(sectionHash(before, "gone")).toBeNull();
  });

  it("an edit inside a topic changes that topic's hash only", () => {
    const after = sectionHashes(doc(p("Purpose"), topic("a", "Trade", "Grow trade fast"), topic("b", "Energy", "Pipelines")));
    expect(after.brief).toBe(before.brief);
    expect(sectionHash(after, "a")).not.toBe(sectionHash(before, "a"));
    expect(sectionHash(after, "b")).toBe(sectionHash(before, "b"));
  });

  it("a topic's attributes are part of it", () => {
    const after = sectionHashes(doc(p("Purpose"), { ...topic("a", "Trade", "Grow trade"), attrs: { blockId: "a", title: "Trade", priority: "low" } }, topic("b", "Energy", "Pipelines")));
    expect(sectionHash(after, "a")).not.toBe(sectionHash(before, "a"));
    expect(after.brief).toBe(before.brief);
  });

  it("an edit outside the topics, or moving them, changes the whole-brief hash only", () => {
    const edited = sectionHashes(doc(p("Purpose, revised"), topic("a", "Trade", "Grow trade"), topic("b", "Energy", "Pipelines")));
    expect(edited.brief).not.toBe(before.brief);
    expect(edited.topics.map((t) => t.hash)).toEqual(before.topics.map((t) => t.hash));
    const moved = sectionHashes(doc(p("Purpose"), topic("b", "Energy", "Pipelines"), topic("a", "Trade", "Grow trade")));
    expect(moved.brief).not.toBe(before.brief);
    expect(sectionHash(moved, "a")).toBe(sectionHash(before, "a"));
  });

  it("the empty paragraphs the editor keeps at the end are not content; one in the middle, or with text, is", () => {
    const empty: PMNode = { type: "paragraph" };
    expect(sectionHashes(doc(...base.content!, empty)).brief).toBe(before.brief);
    expect(sectionHashes(doc(...base.content!, empty, { type: "paragraph", content: [] })).brief).toBe(before.brief);
    expect(sectionHashes(doc(p("Purpose"), empty, ...base.content!.slice(1))).brief).not.toBe(before.brief);
    expect(sectionHashes(doc(...base.content!, p("Annex"))).brief).not.toBe(before.brief);
  });
});
