import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { longBriefState } from "../../scripts/bench/fixtures";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { updateToJSON } from "../export/document-json";
import { buildSeedDocument } from "../seed/demo-document";
import { readSampleArticle } from "../seed/demo";
import { extractProjection, projectionOfState } from "./projection";
import { CONTENT_SPECS, MARK_TYPES, NODE_ATTRIBUTES } from "./yjs-content";

// The projection read straight from Yjs (yjs-content.ts) against the old path through the editor
// schema (y-tiptap + ProseMirror JSON), which the projection thread no longer loads.
const schemaPath = (state: Uint8Array) => extractProjection(updateToJSON(state) as Parameters<typeof extractProjection>[0]);
const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);
const same = (s: Uint8Array) => expect(projectionOfState(s)).toEqual(schemaPath(s));
const ydoc = (...content: object[]) => prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content }, COLLAB_FIELD);

const t = (text: string, ...marks: object[]) => ({ type: "text", text, ...(marks.length ? { marks } : {}) });
const p = (...content: object[]) => ({ type: "paragraph", content });
const every = [
  { type: "heading", attrs: { level: 2, portionMark: "SECRET" }, content: [t("Heading "), t("bold", { type: "bold" })] },
  p(t("plain "), t("italic", { type: "italic" }), { type: "hardBreak" }, t("link", { type: "link", attrs: { href: "https://example.org" } }), t(" code", { type: "code" })),
  { type: "paragraph", attrs: { portionMark: "confidential" }, content: [t("marked "), t("s", { type: "strike" }, { type: "underline" })] },
  { type: "bulletList", attrs: { portionMark: "RESTRICTED" }, content: [{ type: "listItem", content: [p(t("one")), { type: "orderedList", content: [{ type: "listItem", attrs: { portionMark: "SECRET" }, content: [p(t("nested"))] }] }] }] },
  { type: "blockquote", content: [p(t("block quote"))] },
  { type: "codeBlock", attrs: { language: "js" }, content: [t("let x = 1;")] },
  { type: "horizontalRule" },
  { type: "quote", attrs: { blockId: "q1", speaker: "Tleuberdi", country: "KZ", date: "2026-01-02", lang: "kk", translation: "T" }, content: [t("Words "), { type: "hardBreak" }, t("more", { type: "bold" })] },
  { type: "quote", attrs: { blockId: "q1", speaker: "Duplicate" }, content: [t("dup")] },
  { type: "countryFact", attrs: { blockId: "f1", country: "TR", label: "Population", value: "85", unit: "million", asOf: "2026-01-01", portionMark: "SECRET" } },
  { type: "agendaTopic", attrs: { blockId: "a1", title: "Energy", priority: "high", status: "agreed", owner: "Aydın" }, content: [p(t("talking point")), { type: "quote", attrs: { blockId: "q2" }, content: [t("inner")] }] },
  { type: "agendaTopic", attrs: { blockId: "", title: "No id" }, content: [p(t("x"))] },
];

describe("the projection read straight from Yjs", () => {
  it("knows exactly the editor schema's node types, their attributes and its marks", () => {
    const schema = getBriefingSchema();
    const nodes = Object.fromEntries(Object.entries(schema.nodes).filter(([n]) => n !== "text").map(([n, type]) => [n, Object.keys(type.spec.attrs ?? {}).sort()]));
    expect(Object.fromEntries(Object.entries(NODE_ATTRIBUTES).map(([n, a]) => [n, [...a].sort()]))).toEqual(nodes);
    expect([...MARK_TYPES].sort()).toEqual(Object.keys(schema.marks).sort());
    const specs = Object.fromEntries(Object.entries(schema.nodes).filter(([n]) => n !== "text").map(([n, type]) => [n, type.spec.content ?? ""]));
    expect(CONTENT_SPECS).toEqual(specs);
    expect(Object.entries(schema.nodes).filter(([, type]) => type.spec.marks !== undefined).map(([n, type]) => [n, type.spec.marks])).toEqual([["codeBlock", ""]]);
    const groups = (g: string) => Object.entries(schema.nodes).filter(([, type]) => (type.spec.group ?? "").split(" ").includes(g)).map(([n]) => n).sort();
    expect(groups("block")).toEqual(["blockquote", "bulletList", "codeBlock", "countryFact", "heading", "horizontalRule", "orderedList", "paragraph", "quote"]);
    expect(groups("inline")).toEqual(["hardBreak", "text"]);
    expect(groups("topic")).toEqual(["agendaTopic"]);
  });

  it("gives the schema path's rows for the demo briefing and the 50-page bench brief", () => {
    same(buildSeedDocument(readSampleArticle()));
    same(longBriefState(50));
  });

  it("gives the schema path's rows for every block type, mark, hard break and nested list", () => {
    const s = state(ydoc(...every));
    same(s);
    expect(projectionOfState(s)).toMatchObject({ skipped: 2, marks: ["SECRET", "CONFIDENTIAL", "RESTRICTED"] });
    same(state(new Y.Doc()));
  });

  it("drops what does not fit the schema as the schema path does, and does not throw where it would", () => {
    const doc = ydoc(...every);
    const f = doc.getXmlFragment(COLLAB_FIELD);
    const [alien, odd, codeMark, quoteJunk, emptyList] = ["table", "paragraph", "codeBlock", "quote", "bulletList"].map((n) => new Y.XmlElement(n));
    f.insert(f.length, [alien, odd, codeMark, quoteJunk, emptyList]);
    const alienText = new Y.XmlText();
    alien.insert(0, [alienText]);
    alienText.insert(0, "alien words");
    const oddText = new Y.XmlText();
    odd.insert(0, [oddText]);
    oddText.insert(0, "kept ");
    oddText.insert(5, "unknown mark", { comment: { id: "c" } });
    codeMark.setAttribute("portionMark", "SECRET");
    quoteJunk.setAttribute("blockId", "q9");
    quoteJunk.setAttribute("speaker", 42 as unknown as string);
    quoteJunk.setAttribute("bogus", "x");
    same(state(doc));
    const direct = projectionOfState(state(doc));
    expect(direct.text).not.toContain("alien");
    expect(direct.text).not.toContain("unknown mark");
    // Text directly under the fragment makes the schema path throw; the direct path skips it.
    const top = ydoc(p(t("fine")));
    const stray = new Y.XmlText();
    top.getXmlFragment(COLLAB_FIELD).insert(0, [stray]);
    stray.insert(0, "stray");
    expect(() => schemaPath(state(top))).toThrow();
    expect(projectionOfState(state(top)).text).toBe("fine");
  });

  it("gives the schema path's rows after random edit sequences on real Y.Docs", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 20; round++) {
      const doc = ydoc(...every);
      const f = doc.getXmlFragment(COLLAB_FIELD);
      for (let i = 0; i < 30; i++) {
        const texts: Y.XmlText[] = [];
        const walk = (el: Y.XmlElement | Y.XmlFragment) => el.toArray().forEach((c) => (c instanceof Y.XmlText ? texts.push(c) : c instanceof Y.XmlElement && walk(c)));
        walk(f);
        const op = rnd(5);
        if (op === 0 && f.length > 1) f.delete(rnd(f.length), 1);
        else if (op === 1) {
          const el = new Y.XmlElement(["paragraph", "quote", "heading"][rnd(3)]);
          if (el.nodeName === "quote") el.setAttribute("blockId", `r${rnd(5)}`);
          const tx = new Y.XmlText();
          el.insert(0, [tx]);
          f.insert(rnd(f.length + 1), [el]);
          tx.insert(0, `new ${i}`);
        } else if (texts.length) {
          const tx = texts[rnd(texts.length)];
          if (op === 2) tx.insert(rnd(tx.length + 1), ` w${i} `, rnd(2) ? { bold: true } : undefined);
          else if (op === 3 && tx.length) tx.delete(rnd(tx.length), 1 + rnd(3));
          else if (tx.length) tx.format(0, tx.length, { italic: true });
        }
      }
      same(state(doc));
    }
  });
});
