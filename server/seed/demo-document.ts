import type { JSONContent } from "@tiptap/core";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, countryName, getBriefingSchema, type CountryFactAttrs } from "../../extensions";
import type { Store } from "../../db/store";
import { createLibraryFact } from "../../db/queries/blocks";

/**
 * The demo Ankara briefing, drawn from the sample article (db/seed-article.txt). Quotes are taken
 * from the article verbatim; every country fact is something the article states, cited to it.
 * Talking points restate the article; "our position" paragraphs are marked as drafts.
 */

/** The date the demo treats as the article's publication date (the article itself carries none). */
export const ARTICLE_AS_OF = "2026-11-20";

const text = (t: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const paragraph = (...parts: (string | JSONContent)[]): JSONContent => ({
  type: "paragraph",
  content: parts.filter(Boolean).map((p) => (typeof p === "string" ? text(p) : p)),
});
const bold = (t: string) => text(t, [{ type: "bold" }]);
const italic = (t: string) => text(t, [{ type: "italic" }]);
const heading = (level: number, t: string): JSONContent => ({ type: "heading", attrs: { level }, content: [text(t)] });
const bullets = (...items: string[]): JSONContent => ({
  type: "bulletList",
  content: items.map((item) => ({ type: "listItem", content: [paragraph(item)] })),
});

/** A fact the demo team keeps in its library; the seeded briefing links to each by id. */
export type SeedFact = { id: string; country: string; label: string; value: string; unit: string };

export const SEED_FACTS: SeedFact[] = [
  { id: "demo-fact-kz-fm", country: "KZ", label: "Foreign minister", value: "Mukhtar Tleuberdi", unit: "" },
  { id: "demo-fact-kz-president", country: "KZ", label: "President (as named in the article)", value: "Nursultan Nazarbayev", unit: "" },
  { id: "demo-fact-kz-turkic", country: "KZ", label: "Turkic Council", value: "member", unit: "" },
  { id: "demo-fact-kz-neighbours", country: "KZ", label: "Neighbours the article compares it with", value: "Afghanistan, Uzbekistan", unit: "" },
  { id: "demo-fact-tr-fm", country: "TR", label: "Foreign minister", value: "Mevlüt Çavuşoğlu", unit: "" },
  { id: "demo-fact-tr-president", country: "TR", label: "President", value: "Recep Tayyip Erdoğan", unit: "" },
  { id: "demo-fact-tr-turkic", country: "TR", label: "Turkic Council", value: "member", unit: "" },
  { id: "demo-fact-tr-cities", country: "TR", label: "Tourist cities named in the article", value: "Istanbul, Antalya", unit: "" },
  { id: "demo-fact-az-turkic", country: "AZ", label: "Turkic Council", value: "member", unit: "" },
  { id: "demo-fact-kg-turkic", country: "KG", label: "Turkic Council", value: "member", unit: "" },
  { id: "demo-fact-uz-turkic", country: "UZ", label: "Turkic Council", value: "member", unit: "" },
  { id: "demo-fact-hu-turkic", country: "HU", label: "Turkic Council", value: "observer", unit: "" },
];

/** The citation every seeded fact and quote carries: the article's headline. */
export function articleCitation(article: string): string {
  const headline = article.split(/\n\s*\n/)[0]?.trim() ?? "";
  return `“${headline}”, sample article (Ankara, foreign ministers’ meeting)`;
}

function factBlock(id: string, source: string): JSONContent {
  const fact = SEED_FACTS.find((f) => f.id === id);
  if (!fact) throw new Error(`seed: unknown library fact ${id}`);
  const attrs: CountryFactAttrs = {
    blockId: `fact-${id.replace(/^demo-fact-/, "")}`,
    country: fact.country,
    countryName: countryName(fact.country),
    label: fact.label,
    value: fact.value,
    unit: fact.unit,
    asOf: ARTICLE_AS_OF,
    source,
    libraryFactId: fact.id,
  };
  return { type: "countryFact", attrs };
}

/** The words between “ and ” in the article that start with `start`, without trailing punctuation inside the quote marks. */
function quoteFromArticle(article: string, start: string): string {
  for (const m of article.matchAll(/“([^”]+)”/g)) {
    if (m[1].startsWith(start)) return m[1].replace(/,$/, "");
  }
  throw new Error(`seed: the article has no quotation starting “${start}”`);
}

function topic(blockId: string, title: string, priority: string, status: string, owner: [string, string], points: string[], position: string, ...extra: JSONContent[]): JSONContent {
  return {
    type: "agendaTopic",
    attrs: { blockId, title, priority, status, owner: owner[0], ownerId: owner[1] },
    content: [
      paragraph(bold("Talking points")),
      bullets(...points),
      ...extra,
      paragraph(bold("Our position (draft): "), position),
    ],
  };
}

const AIGERIM: [string, string] = ["Aigerim Nurpeisova", "demo-owner"];
const EMRE: [string, string] = ["Emre Yıldız", "demo-editor"];

/** ProseMirror JSON of the demo Ankara briefing, drawn from the sample article. */
export function seedDocumentJSON(article: string): JSONContent {
  const paragraphs = article
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const source = articleCitation(article);
  const tleuberdi = quoteFromArticle(article, "Turkey and Kazakhstan");
  const cavusoglu = quoteFromArticle(article, "We have always supported");

  return {
    type: "doc",
    content: [
      heading(1, "Kazakhstan–Türkiye presidential summit, Ankara"),
      paragraph(italic("Қазақстан Республикасы — Türkiye Cumhuriyeti · Анкара / Ankara")),
      heading(2, "Purpose"),
      paragraph(
        "Prepare the delegation for the meeting of presidents in Ankara, building on the talks between foreign ministers Mukhtar Tleuberdi and Mevlüt Çavuşoğlu. The summit’s main focus will be regional security.",
      ),
      heading(2, "Background"),
      ...paragraphs.slice(1, 4).map((p) => paragraph(p)),
      paragraph(italic(`Source: ${source}.`)),
      heading(2, "Key statements"),
      {
        type: "quote",
        attrs: {
          blockId: "quote-tleuberdi",
          speaker: "Mukhtar Tleuberdi",
          speakerRole: "Foreign Minister of Kazakhstan",
          country: "KZ",
          date: "",
          source,
          lang: "en",
          translation: "Түркия мен Қазақстанның ынтымақтастыққа зор әлеуеті бар (unofficial Kazakh translation)",
        },
        content: [text(tleuberdi)],
      },
      {
        type: "quote",
        attrs: {
          blockId: "quote-cavusoglu",
          speaker: "Mevlüt Çavuşoğlu",
          speakerRole: "Foreign Minister of Türkiye",
          country: "TR",
          date: "",
          source,
          lang: "en",
          translation: "Kardeşlerimizin bağımsız politikasını her zaman destekledik. (unofficial Turkish translation)",
        },
        content: [text(cavusoglu)],
      },
      heading(2, "Country facts"),
      paragraph("Kazakhstan (Қазақстан) and Türkiye, as stated in the source article:"),
      factBlock("demo-fact-kz-fm", source),
      factBlock("demo-fact-kz-president", source),
      factBlock("demo-fact-tr-fm", source),
      factBlock("demo-fact-tr-president", source),
      heading(3, "Turkic Council"),
      paragraph("The article describes the Turkic Council as a platform of Turkic-speaking countries, with Hungary as an observer member."),
      ...["kz", "tr", "az", "kg", "uz", "hu"].map((c) => factBlock(`demo-fact-${c}-turkic`, source)),
      heading(2, "Agenda"),
      topic(
        "topic-regional-security",
        "Regional security",
        "high",
        "proposed",
        AIGERIM,
        [
          "The summit’s main focus will be matters of regional security.",
          "Kazakhstan holds an advantageous position within Central Asia due to its geographic location.",
          "Its political climate is stable compared to neighbouring countries such as Afghanistan and Uzbekistan.",
          "Türkiye values Kazakhstan’s role in bringing about stability within Central Asia.",
        ],
        "Present Kazakhstan as the anchor of stability in Central Asia and seek a joint statement on regional security cooperation.",
        factBlock("demo-fact-kz-neighbours", source),
      ),
      topic(
        "topic-counter-terrorism",
        "Counter-terrorism and organised crime",
        "high",
        "proposed",
        EMRE,
        ["Both ministers discussed combating terrorism and organized crime.", "Strengthening bilateral ties is seen as integral to stability in the region."],
        "Propose a working group of the two interior and foreign ministries with regular information exchange.",
      ),
      topic(
        "topic-trade",
        "Trade volume",
        "high",
        "proposed",
        AIGERIM,
        ["The ministers discussed increasing trade volume between Kazakhstan and Türkiye.", "Economic cooperation was one of the focuses of the Ankara talks."],
        "Agree on a target and a timetable for trade growth to be announced by the presidents.",
      ),
      topic(
        "topic-culture",
        "Cultural ties",
        "medium",
        "proposed",
        EMRE,
        ["Improving cultural ties was among the topics discussed.", "Both countries cooperate within the Turkic Council, which aims at comprehensive cooperation."],
        "Welcome a programme of cultural years and exchanges under the Turkic Council umbrella.",
      ),
      topic(
        "topic-education-technology",
        "Education and technology",
        "medium",
        "proposed",
        AIGERIM,
        ["The ministers discussed enhancing cooperation in the spheres of education and technology."],
        "Offer university partnerships and joint technology projects; ask for Turkish participation in Kazakh programmes.",
      ),
      topic(
        "topic-tourism",
        "Tourism",
        "low",
        "agreed",
        EMRE,
        [
          "Both foreign ministers acknowledged the mutual benefits of boosting tourism.",
          "Türkiye’s cultural heritage and cities such as Istanbul and Antalya, and Kazakhstan’s landscapes, are untapped potential.",
        ],
        "Support more direct flights and joint tourism promotion; no objections expected.",
        factBlock("demo-fact-tr-cities", source),
      ),
    ],
  };
}

/** The demo briefing body as a Yjs update, created once on the server. */
export function buildSeedDocument(article: string): Uint8Array {
  const schema = getBriefingSchema();
  const json = seedDocumentJSON(article);
  schema.nodeFromJSON(json).check(); // a seed that does not fit the schema fails here, not in a browser
  const doc = prosemirrorJSONToYDoc(schema, json, COLLAB_FIELD);
  return Y.encodeStateAsUpdate(doc);
}

/** Fills the team's fact library with the article's facts (the ids the seeded blocks link to). */
export async function seedFactLibrary(store: Store, teamId: string, userId: string, article: string): Promise<void> {
  const source = articleCitation(article);
  for (const { id, ...fact } of SEED_FACTS) await createLibraryFact(store, teamId, { ...fact, asOf: ARTICLE_AS_OF, source }, userId, id);
}
