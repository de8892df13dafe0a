import type { ExportInfo, PMNode } from "../../server/export/model";

/** ProseMirror JSON builders for export tests (the node names and attrs of the block contract). */
export const t = (text: string, marks?: PMNode["marks"]): PMNode => ({ type: "text", text, ...(marks ? { marks } : {}) });
export const p = (...content: (PMNode | string)[]): PMNode => ({
  type: "paragraph",
  content: content.map((c) => (typeof c === "string" ? t(c) : c)),
});
export const h = (level: number, text: string): PMNode => ({ type: "heading", attrs: { level }, content: [t(text)] });
export const bullets = (...items: string[]): PMNode => ({
  type: "bulletList",
  content: items.map((i) => ({ type: "listItem", content: [p(i)] })),
});
export const quote = (text: string, attrs: Record<string, string>): PMNode => ({
  type: "quote",
  attrs: { blockId: `q-${text.length}`, lang: "en", translation: "", ...attrs },
  content: [t(text)],
});
export const topic = (attrs: Record<string, string>, ...content: PMNode[]): PMNode => ({
  type: "agendaTopic",
  attrs: { blockId: `t-${attrs.title}`, priority: "medium", status: "proposed", owner: "", ownerId: "", ...attrs },
  content,
});
export const fact = (attrs: Record<string, string>): PMNode => ({
  type: "countryFact",
  attrs: { blockId: `f-${attrs.label}`, libraryFactId: "", countryName: "", unit: "", ...attrs },
});

export const TURKISH = "Şişli'deki ılık öğleden sonra İstanbul, Çankaya ve Ağrı";
export const KAZAKH = "Әділет Ғылым Қазақстан Ңң Өнер Ұлттық Үкімет Һ Ілияс";

/** Text a template built from strings would execute; here it must come out literally. */
export const HOSTILE = [
  '#panic("x")',
  '#read("/etc/passwd")',
  '#import "../../server/config.ts": *',
  "]",
  "$x^2$",
  "<script>alert(1)</script>",
  "../../server/config.ts",
];

/** A brief that uses every block kind, Turkish and Kazakh text, and hostile strings. */
export function sampleBrief(): PMNode {
  return {
    type: "doc",
    content: [
      h(1, "Kazakhstan–Türkiye presidential summit, Ankara"),
      p("Purpose: prepare the delegation for the meeting of presidents in Ankara. ", t("Bold point", [{ type: "bold" }]), " and ", t("a link", [{ type: "link", attrs: { href: "https://www.mfa.kz/en" } }]), "."),
      h(2, "Background"),
      p(`Turkish place names: ${TURKISH}.`),
      bullets("Trade turnover target of USD 15 billion", "Middle Corridor logistics", "Education and culture"),
      fact({ country: "KZ", label: "Population", value: "20.3", unit: "million", asOf: "2025-01-01", source: "https://stat.gov.kz" }),
      fact({ country: "KZ", label: "GDP growth", value: "4.8", unit: "%", asOf: "2019-06-30", source: "Bureau of National Statistics" }),
      h(2, "Agenda"),
      topic(
        { title: "Trade and the Middle Corridor", priority: "high", status: "agreed", owner: "Emre Yıldız" },
        p("Talking point: doubling rail capacity through the Caspian ports."),
        p("Our position: support the joint logistics company."),
        quote("Орта дәліз — біздің ортақ болашағымыз.", {
          speaker: "Kassym-Jomart Tokayev",
          speakerRole: "President of Kazakhstan",
          country: "KZ",
          date: "2025-11-03",
          source: "https://akorda.kz/en/speech",
          lang: "kk",
          translation: "The Middle Corridor is our common future.",
        }),
      ),
      topic(
        { title: "Energy cooperation", priority: "low", status: "contested", owner: "Aigerim Nurpeisova" },
        p("Talking point: gas transit volumes."),
        quote("Türkiye ile Kazakistan arasındaki ilişkiler stratejik ortaklık düzeyindedir.", {
          speaker: "Hakan Fidan",
          speakerRole: "Minister of Foreign Affairs of Türkiye",
          country: "TR",
          date: "2025-10-12",
          source: "Anadolu Agency interview",
          lang: "tr",
          translation: "Relations between Türkiye and Kazakhstan are at the level of a strategic partnership.",
        }),
        fact({ country: "TR", label: "Bilateral trade", value: "6.5", unit: "USD bn", asOf: "2025-06-30", source: "TurkStat" }),
      ),
      topic({ title: "Hostile content", priority: "medium", status: "proposed" }, ...HOSTILE.map((s) => p(s))),
      h(2, "Kazakh text"),
      p(KAZAKH),
    ],
  };
}

export function sampleInfo(overrides: Partial<ExportInfo> = {}): ExportInfo {
  return {
    title: "Kazakhstan–Türkiye presidential summit, Ankara",
    summitName: "Kazakhstan–Türkiye Presidential Summit",
    city: "Ankara",
    startDate: "2026-12-14",
    endDate: "2026-12-15",
    classification: "RESTRICTED",
    status: "draft",
    team: "Kazakhstan–Türkiye desk",
    exportedAt: new Date("2026-03-05T14:32:00Z"),
    staleMonths: 12,
    version: null,
    ...overrides,
  };
}
