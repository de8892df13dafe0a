import { Editor } from "@tiptap/core";
import { afterEach, describe, expect, it } from "vitest";
import { briefingExtensions, getBriefingSchema } from "../index";
import { countryFlag, countryName } from "./countries";
import { validateCountryFactAttrs } from "./country-fact";
import { isFactStale } from "./stale";

let editor: Editor | undefined;
afterEach(() => editor?.destroy());

describe("countryFact node", () => {
  it("inserts an atom with sanitised attributes, a derived country name and a fresh id", () => {
    editor = new Editor({ extensions: briefingExtensions, content: { type: "doc", content: [{ type: "paragraph" }] } });
    editor.commands.insertCountryFact({ country: "kz", label: "Turkic Council", value: "member", asOf: "2026-05-12", libraryFactId: "lib_1" });
    const fact = editor.getJSON().content!.find((n) => n.type === "countryFact")!;
    expect(fact.content).toBeUndefined();
    expect(fact.attrs).toMatchObject({ country: "KZ", countryName: "Kazakhstan", label: "Turkic Council", value: "member", unit: "", asOf: "2026-05-12", libraryFactId: "lib_1" });
    expect(fact.attrs!.blockId).toMatch(/^b-/);
  });

  it("renders every attribute as data-* plus readable text", () => {
    const schema = getBriefingSchema();
    const node = schema.nodes.countryFact.create({ blockId: "f1", country: "HU", label: "Turkic Council", value: "observer", asOf: "2026-05-12", source: "Kazinform" });
    const spec = JSON.stringify(schema.nodes.countryFact.spec.toDOM!(node));
    for (const attr of ["data-block-id", "data-country", "data-country-name", "data-label", "data-value", "data-unit", "data-as-of", "data-source", "data-library-fact-id"]) {
      expect(spec).toContain(`"${attr}"`);
    }
    expect(spec).toContain("🇭🇺 Hungary");
    expect(spec).toContain("as of 2026-05-12");
    expect(getBriefingSchema().nodes.countryFact.spec.atom).toBe(true);
  });

  it("refuses absurd pasted values", () => {
    const rule = getBriefingSchema().nodes.countryFact.spec.parseDOM![0];
    const attrs = (rule.getAttrs as (el: unknown) => Record<string, unknown>)({
      getAttribute: (n: string) => ({ "data-country": "xx1", "data-as-of": "31/12/2025", "data-unit": "u".repeat(100), "data-library-fact-id": "../../etc" })[n] ?? null,
    });
    expect(attrs).toMatchObject({ country: "", asOf: "", libraryFactId: "" });
    expect(String(attrs.unit)).toHaveLength(40);
    expect(validateCountryFactAttrs({ asOf: "2025-13-01", country: "TR" })).toEqual({ asOf: expect.stringMatching(/YYYY-MM-DD/) });
  });
});

describe("fact staleness", () => {
  const now = new Date("2026-06-15T10:00:00Z");
  it("flags facts older than the configured number of months", () => {
    expect(isFactStale("2025-06-15", now, 12)).toBe(false);
    expect(isFactStale("2025-06-14", now, 12)).toBe(true);
    expect(isFactStale("2026-01-01", now, 6)).toBe(false);
    expect(isFactStale("2025-12-14", now, 6)).toBe(true);
  });
  it("treats a fact without a valid date as stale", () => {
    expect(isFactStale("", now)).toBe(true);
    expect(isFactStale("2026-02-30", now)).toBe(true);
  });
  it("clamps month ends (31 August + 6 months = end of February)", () => {
    expect(isFactStale("2025-08-31", new Date("2026-02-28T12:00:00Z"), 6)).toBe(false);
    expect(isFactStale("2025-08-31", new Date("2026-03-01T00:00:00Z"), 6)).toBe(true);
  });
});

describe("country names and flags", () => {
  it("names the desk's countries and falls back to the code", () => {
    expect(["KZ", "TR", "AZ", "KG", "UZ", "HU", "TM"].map(countryName)).toEqual([
      "Kazakhstan",
      "Türkiye",
      "Azerbaijan",
      "Kyrgyzstan",
      "Uzbekistan",
      "Hungary",
      "Turkmenistan",
    ]);
    expect(countryName("fr")).toBe("FR");
    expect(countryName("nope")).toBe("");
    expect(countryFlag("kz")).toBe("🇰🇿");
    expect(countryFlag("")).toBe("");
  });
});
