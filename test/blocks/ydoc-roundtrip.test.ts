import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";

const doc = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1, portionMark: "RESTRICTED" }, content: [{ type: "text", text: "Қазақстан Республикасы – Türkiye" }] },
    {
      type: "agendaTopic",
      attrs: { blockId: "t-1", title: "Regional security", priority: "high", status: "contested", owner: "Emre Yıldız", ownerId: "demo-editor", portionMark: "SECRET" },
      content: [
        { type: "paragraph", attrs: { portionMark: "" }, content: [{ type: "text", text: "Talking point", marks: [{ type: "bold" }] }] },
        {
          type: "quote",
          attrs: { blockId: "q-1", speaker: "Mevlüt Çavuşoğlu", speakerRole: "Foreign Minister of Türkiye", country: "TR", date: "", source: "Kazinform", lang: "en", translation: "Kardeşlerimizin bağımsız politikasını her zaman destekledik.", portionMark: "" },
          content: [{ type: "text", text: "We have always supported our brothers’ independent policy." }],
        },
        { type: "countryFact", attrs: { blockId: "f-1", country: "HU", countryName: "Hungary", label: "Turkic Council", value: "observer", unit: "", asOf: "2026-05-12", source: "Article", libraryFactId: "lib-1", portionMark: "CONFIDENTIAL" } },
      ],
    },
    { type: "quote", attrs: { blockId: "q-2", speaker: "", speakerRole: "", country: "", date: "", source: "", lang: "kk", translation: "", portionMark: "" } },
  ],
};

describe("ProseMirror JSON ↔ Y.Doc through the shared schema", () => {
  it("round-trips every block, attribute and mark, also through an encoded update", () => {
    const schema = getBriefingSchema();
    const ydoc = prosemirrorJSONToYDoc(schema, doc, COLLAB_FIELD);
    const direct = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(COLLAB_FIELD), schema).toJSON();
    expect(direct).toEqual(doc);

    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
    expect(yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(COLLAB_FIELD), schema).toJSON()).toEqual(doc);
  });

  it("fills attribute defaults for blocks stored before an attribute existed", () => {
    const schema = getBriefingSchema();
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment(COLLAB_FIELD);
    const el = new Y.XmlElement("countryFact");
    el.setAttribute("blockId", "f-old");
    el.setAttribute("country", "KZ");
    fragment.insert(0, [el]);
    const json = yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON();
    expect(json.content[0]).toEqual({
      type: "countryFact",
      attrs: { blockId: "f-old", country: "KZ", countryName: "", label: "", value: "", unit: "", asOf: "", source: "", libraryFactId: "", portionMark: "" },
    });
  });
});
