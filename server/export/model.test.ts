import { describe, expect, it } from "vitest";
import { ATTR_LIMITS } from "../../extensions/shared/attrs";
import { fact, quote, sampleInfo, topic } from "../../test/export/fixtures";
import { buildExportModel } from "./model";

const model = (...content: ReturnType<typeof quote>[]) => buildExportModel({ type: "doc", content }, sampleInfo()).blocks;

// The PDF prints block attributes through the editor's own rules (extensions/shared/attribute-spec.ts).
describe("export model: block attributes", () => {
  it("drops bidi override and isolate characters from every attribute it prints", () => {
    const bidi = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
    const [q, t, f] = model(
      quote("x", { speaker: `${bidi}Hakan Fidan`, speakerRole: `Minister${bidi}`, source: `${bidi}Anadolu`, translation: `${bidi}Yes` }),
      topic({ title: `${bidi}Trade`, owner: `${bidi}Emre` }),
      fact({ label: `${bidi}Population`, value: `20.3${bidi}`, unit: `${bidi}m`, source: `TurkStat${bidi}`, country: "TR" }),
    );
    expect(q).toMatchObject({ speaker: "Hakan Fidan", speakerRole: "Minister", source: "Anadolu", translation: "Yes" });
    expect(t).toMatchObject({ title: "Trade", owner: "Emre" });
    expect(f).toMatchObject({ rows: [expect.objectContaining({ label: "Population", value: "20.3", unit: "m", source: "TurkStat" })] });
  });

  it("applies the editor's length limits and value rules", () => {
    const [q, t] = model(
      quote("x", { speaker: "S".repeat(5000), date: "2026-02-30", country: "k1", lang: "not a tag!" }),
      topic({ title: "T".repeat(5000), priority: "urgent", status: "agreed" }),
    );
    expect(q).toMatchObject({ speaker: "S".repeat(ATTR_LIMITS.short), date: "", country: "", lang: { lang: "en" } });
    expect(t).toMatchObject({ title: "T".repeat(ATTR_LIMITS.title), priority: "medium", status: "agreed" });
  });
});
