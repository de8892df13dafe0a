import { describe, expect, it } from "vitest";
import {
  cleanText,
  derivedBlockId,
  isBlockId,
  isIsoDate,
  newBlockId,
  sanitizeCountryCode,
  sanitizeEnum,
  sanitizeIsoDate,
  sanitizeLanguageTag,
  sourceHref,
} from "./attrs";
import { validateWith } from "./attribute-spec";

describe("attribute validation", () => {
  it("accepts only real calendar dates written YYYY-MM-DD", () => {
    expect(isIsoDate("2026-12-14")).toBe(true);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("14.12.2026")).toBe(false);
    expect(isIsoDate("2026-12-14T00:00")).toBe(false);
    expect(sanitizeIsoDate(" 2026-12-14 ")).toBe("2026-12-14");
    expect(sanitizeIsoDate("yesterday")).toBe("");
  });

  it("normalises BCP 47 tags and falls back for garbage", () => {
    expect(sanitizeLanguageTag("kk-cyrl-kz")).toBe("kk-Cyrl-KZ");
    expect(sanitizeLanguageTag("TR")).toBe("tr");
    expect(sanitizeLanguageTag("en_GB")).toBe("en-GB");
    expect(sanitizeLanguageTag('en" onload="x')).toBe("en");
    expect(sanitizeLanguageTag("", "tr")).toBe("tr");
    expect(sanitizeLanguageTag("a".repeat(50))).toBe("en");
  });

  it("keeps only ISO alpha-2 country codes, upper-cased", () => {
    expect(sanitizeCountryCode("kz")).toBe("KZ");
    expect(sanitizeCountryCode("KAZ")).toBe("");
    expect(sanitizeCountryCode("<b>")).toBe("");
  });

  it("restricts enums to their values", () => {
    expect(sanitizeEnum("high", ["high", "low"] as const, "low")).toBe("high");
    expect(sanitizeEnum("urgent", ["high", "low"] as const, "low")).toBe("low");
  });

  it("strips control and bidi-override characters, collapses whitespace and caps length", () => {
    expect(cleanText("  Mukhtar\u0000 \n Tleuberdi\u202E ")).toBe("Mukhtar Tleuberdi");
    expect(cleanText("x".repeat(500), 200)).toHaveLength(200);
    expect(cleanText(42)).toBe("42");
    expect(cleanText({ toString: () => "<script>" })).toBe("");
  });

  it("links a source only when it is an http(s) URL", () => {
    expect(sourceHref("https://example.org/a?b=1")).toBe("https://example.org/a?b=1");
    expect(sourceHref("javascript:alert(1)")).toBeNull();
    expect(sourceHref("Kazinform, 12 May")).toBeNull();
    expect(sourceHref("https://")).toBeNull();
  });

  it("generates well-formed ids; derived ids are stable per seed", () => {
    const ids = new Set(Array.from({ length: 1000 }, newBlockId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isBlockId(id)).toBe(true);
    expect(derivedBlockId("quote:q1:3")).toBe(derivedBlockId("quote:q1:3"));
    expect(derivedBlockId("quote:q1:3")).not.toBe(derivedBlockId("quote:q1:4"));
    expect(isBlockId(derivedBlockId("anything"))).toBe(true);
  });

  it("explains what is wrong in form-ready messages", () => {
    expect(validateWith({ kind: "date", label: "As of" }, "2026-02-30")).toMatch(/YYYY-MM-DD/);
    expect(validateWith({ kind: "country", label: "Country" }, "Kazakhstan")).toMatch(/two-letter/);
    expect(validateWith({ kind: "enum", label: "Status", values: ["agreed"], fallback: "agreed" }, "maybe")).toMatch(/one of agreed/);
    expect(validateWith({ kind: "text", label: "Label", max: 3 }, "abcd")).toMatch(/at most 3/);
    expect(validateWith({ kind: "date", label: "As of" }, "")).toBeNull();
  });
});
