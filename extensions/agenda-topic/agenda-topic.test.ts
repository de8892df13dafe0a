import { Editor, type JSONContent } from "@tiptap/core";
import { afterEach, describe, expect, it } from "vitest";
import { briefingExtensions, getBriefingSchema } from "../index";
import { agendaTopicNumberAt, numberAgendaTopics } from "./numbering";

let editor: Editor | undefined;
afterEach(() => editor?.destroy());

const p = (text: string): JSONContent => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] });
const topic = (blockId: string, title: string, ...content: JSONContent[]): JSONContent => ({
  type: "agendaTopic",
  attrs: { blockId, title },
  content: content.length ? content : [p("")],
});

describe("agendaTopic node", () => {
  it("inserts after the block holding the cursor, with defaults and the cursor in its body", () => {
    editor = new Editor({ extensions: briefingExtensions, content: { type: "doc", content: [p("Purpose"), p("Background")] } });
    editor.commands.setTextSelection(3);
    editor.commands.insertAgendaTopic({ title: "Regional security", priority: "high", status: "bogus" as never });
    const doc = editor.getJSON();
    expect(doc.content!.map((n) => n.type)).toEqual(["paragraph", "agendaTopic", "paragraph"]);
    expect(doc.content![1].attrs).toMatchObject({ title: "Regional security", priority: "high", status: "proposed", owner: "", ownerId: "" });
    expect(editor.state.selection.$from.node(1).type.name).toBe("agendaTopic");
    editor.commands.insertContent({ type: "text", text: "Talking point" });
    expect(editor.getJSON().content![1].content).toMatchObject([p("Talking point")]);
    expect(editor.getJSON().content![1].content).toHaveLength(1);
  });

  it("replaces an empty paragraph and never nests: inserting inside a topic adds one after it", () => {
    editor = new Editor({ extensions: briefingExtensions, content: { type: "doc", content: [p("")] } });
    editor.commands.insertAgendaTopic({ title: "One" });
    editor.commands.insertAgendaTopic({ title: "Two" });
    const doc = editor.getJSON();
    expect(doc.content!.map((n) => [n.type, n.attrs?.title])).toEqual([
      ["agendaTopic", "One"],
      ["agendaTopic", "Two"],
    ]);
  });

  it("is rejected by the schema inside another topic, a list or a blockquote", () => {
    const schema = getBriefingSchema();
    const nested = { type: "doc", content: [topic("a", "Outer", topic("b", "Inner"))] };
    expect(() => schema.nodeFromJSON(nested).check()).toThrow();
    const inQuote = { type: "doc", content: [{ type: "blockquote", content: [topic("c", "x")] }] };
    expect(() => schema.nodeFromJSON(inQuote).check()).toThrow();
    const ok = { type: "doc", content: [topic("d", "ok", p("text"), { type: "bulletList", content: [{ type: "listItem", content: [p("point")] }] })] };
    expect(() => schema.nodeFromJSON(ok).check()).not.toThrow();
  });

  it("numbers topics 1-based in document order, from JSON and from a ProseMirror document", () => {
    const json = { type: "doc", content: [p("intro"), topic("t1", "Security"), p("between"), topic("t2", "Trade"), topic("t3", "Culture")] };
    expect(numberAgendaTopics(json)).toEqual([
      { blockId: "t1", title: "Security", number: 1 },
      { blockId: "t2", title: "Trade", number: 2 },
      { blockId: "t3", title: "Culture", number: 3 },
    ]);
    const doc = getBriefingSchema().nodeFromJSON(json);
    const positions: number[] = [];
    doc.forEach((node, offset) => {
      if (node.type.name === "agendaTopic") positions.push(offset);
    });
    expect(positions.map((pos) => agendaTopicNumberAt(doc, pos))).toEqual([1, 2, 3]);
    expect(agendaTopicNumberAt(doc, 0)).toBe(0);
  });

  it("renders its body into a marked container and its header as non-editable text", () => {
    const schema = getBriefingSchema();
    const node = schema.nodeFromJSON({ ...topic("t9", "Trade volume"), attrs: { blockId: "t9", title: "Trade volume", priority: "low", status: "agreed", owner: "Emre Yıldız" } });
    const spec = JSON.stringify(schema.nodes.agendaTopic.spec.toDOM!(node));
    expect(spec).toContain('"data-type":"agenda-topic"');
    expect(spec).toContain('"data-priority":"low"');
    expect(spec).toContain('"data-status":"agreed"');
    expect(spec).toContain('"data-owner":"Emre Yıldız"');
    expect(spec).toContain("Priority: low · Status: agreed · Owner: Emre Yıldız");
    expect(spec).toContain('["div",{"class":"agenda-topic-body","data-agenda-topic-body":""},0]');
  });
});
