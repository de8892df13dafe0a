import { Editor, type JSONContent } from "@tiptap/core";
import { afterEach, describe, expect, it } from "vitest";
import { briefingExtensions } from "../index";
import { createBlockIdPlugin, listBlocks } from "./block-id";

const editors: Editor[] = [];
afterEach(() => editors.splice(0).forEach((e) => e.destroy()));
const makeEditor = (content?: JSONContent) => {
  const e = new Editor({ extensions: briefingExtensions, content });
  // A headless editor (no DOM here) only installs plugins when mounted; install ours as a view would.
  e.registerPlugin(createBlockIdPlugin());
  editors.push(e);
  return e;
};
const ids = (e: Editor) => listBlocks(e.state.doc).map((b) => b.blockId);
const quote = (blockId: string, text: string): JSONContent => ({ type: "quote", attrs: { blockId, speaker: "S" }, content: [{ type: "text", text }] });
const fact = (blockId?: string): JSONContent => ({ type: "countryFact", attrs: { blockId, country: "KZ", label: "L", value: "V" } });

describe("block ids", () => {
  it("gives a block inserted without an id a fresh one", () => {
    const e = makeEditor({ type: "doc", content: [{ type: "paragraph" }] });
    e.commands.insertContent(fact(""));
    expect(ids(e)).toEqual([expect.stringMatching(/^b-[a-z0-9]{12}$/)]);
  });

  it("renames a pasted copy and leaves the original's id alone", () => {
    const e = makeEditor({ type: "doc", content: [quote("q-original", "words"), { type: "paragraph" }] });
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    e.commands.insertContent(quote("q-original", "words"));
    const [first, second] = ids(e);
    expect(first).toBe("q-original");
    expect(second).not.toBe("q-original");
    expect(second).toMatch(/^b-/);
  });

  it("leaves unique ids untouched across edits", () => {
    const e = makeEditor({ type: "doc", content: [quote("q1", "a"), fact("f1"), { type: "paragraph" }] });
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    e.commands.insertContent({ type: "text", text: "typing" });
    e.commands.insertContent({ type: "text", text: " more" });
    expect(ids(e)).toEqual(["q1", "f1"]);
  });

  it("repairs a remote change identically on every client, so clients do not fight", () => {
    const start: JSONContent = { type: "doc", content: [fact("f1"), { type: "paragraph" }] };
    const [a, b] = [makeEditor(start), makeEditor(start)];
    for (const e of [a, b]) {
      const node = e.schema.nodeFromJSON(fact("f1"));
      const tr = e.state.tr.insert(e.state.doc.content.size, [node, e.schema.nodeFromJSON(fact(""))]);
      tr.setMeta("y-sync$", { isChangeOrigin: true });
      e.view.dispatch(tr);
    }
    expect(ids(a)).toHaveLength(3);
    expect(ids(a)[0]).toBe("f1");
    expect(new Set(ids(a)).size).toBe(3);
    expect(ids(b)).toEqual(ids(a));
  });

  it("updates attributes by block id through each type's sanitiser, never the id itself", () => {
    const e = makeEditor({ type: "doc", content: [quote("q1", "a"), { type: "agendaTopic", attrs: { blockId: "t1", title: "T" }, content: [{ type: "paragraph" }] }] });
    expect(e.commands.updateBlockAttrs("t1", { status: "agreed", priority: "urgent", blockId: "hijack", owner: " Dana " })).toBe(true);
    expect(e.commands.updateBlockAttrs("q1", { lang: "kk-cyrl", date: "not a date" })).toBe(true);
    expect(e.commands.updateBlockAttrs("missing", { title: "x" })).toBe(false);
    const [q, t] = e.getJSON().content!;
    expect(t.attrs).toMatchObject({ blockId: "t1", status: "agreed", priority: "medium", owner: "Dana" });
    expect(q.attrs).toMatchObject({ blockId: "q1", lang: "kk-Cyrl", date: "" });
  });
});
