import { Editor } from "@tiptap/core";
import type { DOMOutputSpec } from "@tiptap/pm/model";
import { afterEach, describe, expect, it } from "vitest";
import { briefingExtensions, getBriefingSchema } from "../index";
import { quoteAttribution, validateQuoteAttrs, type QuoteAttrs } from "./quote";

let editor: Editor | undefined;
afterEach(() => editor?.destroy());

const element = (attrs: Record<string, string>) => ({ getAttribute: (name: string) => attrs[name] ?? null });
const parseAttrs = (attrs: Record<string, string>) => {
  const rule = getBriefingSchema().nodes.quote.spec.parseDOM![0];
  return (rule.getAttrs as (el: unknown) => Record<string, unknown>)(element(attrs));
};

describe("quote node", () => {
  it("inserts a quote with sanitised attributes, its words and a fresh block id", () => {
    editor = new Editor({ extensions: briefingExtensions, content: { type: "doc", content: [{ type: "paragraph" }] } });
    editor.commands.insertQuote({
      text: "Turkey and Kazakhstan have great potential for cooperation",
      speaker: " Mukhtar Tleuberdi ",
      speakerRole: "Foreign Minister of Kazakhstan",
      country: "kz",
      date: "2026-02-30",
      lang: "EN",
    });
    const quote = editor.getJSON().content!.find((n) => n.type === "quote")!;
    const attrs = quote.attrs as QuoteAttrs;
    expect(attrs.blockId).toMatch(/^b-[a-z0-9]{12}$/);
    expect(attrs).toMatchObject({ speaker: "Mukhtar Tleuberdi", country: "KZ", date: "", lang: "en", translation: "" });
    expect(quote.content).toEqual([{ type: "text", text: "Turkey and Kazakhstan have great potential for cooperation" }]);
  });

  it("renders complete HTML: every attribute as data-*, words tagged with their language, attribution as text", () => {
    const schema = getBriefingSchema();
    const node = schema.nodes.quote.create(
      {
        blockId: "q-1",
        speaker: "Mevlüt Çavuşoğlu",
        speakerRole: "Foreign Minister of Türkiye",
        country: "TR",
        date: "2026-05-12",
        source: "https://example.org/article",
        lang: "tr",
        translation: "We have always supported our brothers’ independent policy.",
      },
      schema.text("Kardeşlerimizin bağımsız politikasını her zaman destekledik."),
    );
    const [tag, attrs, blockquote, figcaption] = schema.nodes.quote.spec.toDOM!(node) as [string, Record<string, string>, DOMOutputSpec[], DOMOutputSpec[]];
    expect(tag).toBe("figure");
    expect(attrs).toMatchObject({
      "data-type": "quote",
      "data-block-id": "q-1",
      "data-speaker": "Mevlüt Çavuşoğlu",
      "data-speaker-role": "Foreign Minister of Türkiye",
      "data-country": "TR",
      "data-date": "2026-05-12",
      "data-source": "https://example.org/article",
      "data-lang": "tr",
      "data-translation": "We have always supported our brothers’ independent policy.",
      id: "block-q-1",
    });
    expect(blockquote).toEqual(["blockquote", { lang: "tr" }, 0]);
    expect(JSON.stringify(figcaption)).toContain("— Mevlüt Çavuşoğlu, Foreign Minister of Türkiye (Türkiye), 2026-05-12");
    expect(JSON.stringify(figcaption)).toContain("We have always supported");
  });

  it("sanitises pasted attributes: no markup, no absurd values, defaults for missing ones", () => {
    const attrs = parseAttrs({
      "data-type": "quote",
      "data-block-id": '"><img src=x onerror=alert(1)>',
      "data-speaker": "A".repeat(5000),
      "data-country": "Kazakhstan",
      "data-date": "2026-12-14",
      "data-lang": "<script>",
      "data-source": "javascript:alert(1)\u0000",
    });
    expect(attrs.blockId).toBe("");
    expect(String(attrs.speaker)).toHaveLength(200);
    expect(attrs.country).toBe("");
    expect(attrs.date).toBe("2026-12-14");
    expect(attrs.lang).toBe("en");
    expect(attrs.source).toBe("javascript:alert(1)");
    expect(attrs.translation).toBe("");
  });

  it("reports invalid fields with messages", () => {
    expect(validateQuoteAttrs({ country: "Turkey", date: "2026-12-14", lang: "tr" })).toEqual({
      country: expect.stringMatching(/two-letter/),
    });
  });

  it("formats the attribution line from whatever is known", () => {
    expect(quoteAttribution({ speaker: "", speakerRole: "", country: "", date: "" })).toBe("");
    expect(quoteAttribution({ speaker: "Tleuberdi", speakerRole: "", country: "KZ", date: "" })).toBe("— Tleuberdi (Kazakhstan)");
  });
});
