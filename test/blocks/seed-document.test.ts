import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readSampleArticle } from "../../server/seed/demo";
import { buildSeedDocument, SEED_FACTS, seedDocumentJSON } from "../../server/seed/demo-document";
import { COLLAB_FIELD, getBriefingSchema, listBlocks, numberAgendaTopics } from "../../extensions";

describe("demo briefing body", () => {
  const article = readSampleArticle();
  const json = seedDocumentJSON(article);
  const str = JSON.stringify(json);

  it("is a valid document that survives the trip through a Y.Doc", () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, buildSeedDocument(article));
    const back = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(COLLAB_FIELD), getBriefingSchema());
    // Compared through the schema, which fills in every attribute's default (an unmarked block's portionMark).
    expect(back.toJSON()).toEqual(getBriefingSchema().nodeFromJSON(json).toJSON());
    const ids = listBlocks(back).map((b) => b.blockId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("numbers the agenda topics drawn from the article", () => {
    expect(numberAgendaTopics(json).map((t) => `${t.number}. ${t.title}`)).toEqual([
      "1. Regional security",
      "2. Counter-terrorism and organised crime",
      "3. Trade volume",
      "4. Cultural ties",
      "5. Education and technology",
      "6. Tourism",
    ]);
  });

  it("quotes both ministers exactly as the article does", () => {
    const quotes = json.content!.filter((n) => n.type === "quote");
    expect(quotes.map((q) => [q.content![0].text, q.attrs!.speaker, q.attrs!.speakerRole, q.attrs!.country, q.attrs!.lang])).toEqual([
      ["Turkey and Kazakhstan have great potential for cooperation", "Mukhtar Tleuberdi", "Foreign Minister of Kazakhstan", "KZ", "en"],
      ["We have always supported our brothers’ independent policy.", "Mevlüt Çavuşoğlu", "Foreign Minister of Türkiye", "TR", "en"],
    ]);
    for (const q of quotes) {
      expect(article).toContain(`“${q.content![0].text}`);
      expect(q.attrs!.source).toContain("Kazakh FM discusses the preparations for the meeting of presidents in Ankara");
    }
  });

  it("links every fact to the library and only states what the article says", () => {
    const facts: { value: string; libraryFactId: string; asOf: string }[] = [];
    const walk = (n: { type?: string; attrs?: Record<string, unknown>; content?: unknown[] }) => {
      if (n.type === "countryFact") facts.push(n.attrs as never);
      (n.content as (typeof n)[] | undefined)?.forEach(walk);
    };
    walk(json);
    expect(facts.length).toBeGreaterThanOrEqual(12);
    for (const f of facts) {
      expect(SEED_FACTS.map((s) => s.id)).toContain(f.libraryFactId);
      expect(f.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const part of f.value.split(", ")) {
        if (!["member", "observer"].includes(part)) expect(article).toContain(part);
      }
    }
    expect(new Set(facts.filter((f) => f.value === "observer").map((f) => f.libraryFactId))).toEqual(new Set(["demo-fact-hu-turkic"]));
  });

  it("carries Turkish and Kazakh text for the fonts", () => {
    for (const s of ["Türkiye", "Çavuşoğlu", "Қазақстан Республикасы", "Yıldız", "ә"]) expect(str).toContain(s);
  });
});
