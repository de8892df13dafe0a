/**
 * The attributes of a `countryFact` block: rules, sanitiser, validation and the shown value. Pure
 * (no Tiptap, no ProseMirror), so the projection thread reads facts without loading the editor
 * schema (docs/decisions/0208); country-fact.ts builds the Tiptap node from these rules.
 */
import { ATTR_LIMITS } from "../shared/attrs";
import { sanitizeAll, TEXT, validateAll, type AttrRules } from "../shared/attribute-spec";

/** Attributes of a `countryFact` block. All strings; "" means "not set". */
export type CountryFactAttrs = {
  /** Stable id of the block (projection key, link anchor `#block-<blockId>`). */
  blockId: string;
  /** ISO 3166-1 alpha-2, e.g. "KZ". */
  country: string;
  /** Display name; when "" the name is derived from `country`. */
  countryName: string;
  label: string;
  value: string;
  unit: string;
  /** "YYYY-MM-DD": when the value was true. */
  asOf: string;
  /** URL or citation. */
  source: string;
  /** Id of the team library fact this block was inserted from. @default "" */
  libraryFactId: string;
};

export const COUNTRY_FACT_ATTR_RULES: AttrRules<CountryFactAttrs> = {
  blockId: { kind: "id", label: "Block id" },
  country: { kind: "country", label: "Country" },
  countryName: TEXT("Country name"),
  label: TEXT("Label"),
  value: TEXT("Value"),
  unit: TEXT("Unit", ATTR_LIMITS.unit),
  asOf: { kind: "date", label: "As of" },
  source: TEXT("Source", ATTR_LIMITS.source),
  libraryFactId: { kind: "id", label: "Library fact" },
};

/** Every country-fact attribute with a safe value (defaults for missing or invalid ones). */
export const sanitizeCountryFactAttrs = (input?: Partial<Record<keyof CountryFactAttrs, unknown>> | null): CountryFactAttrs =>
  sanitizeAll(COUNTRY_FACT_ATTR_RULES, input);
/** Field errors for the given country-fact attributes; `{}` when valid. */
export const validateCountryFactAttrs = (input: Partial<Record<keyof CountryFactAttrs, unknown>>) =>
  validateAll(COUNTRY_FACT_ATTR_RULES, input);

/** "Value unit" as shown ("90 million", "member", "12 %"). */
export function formatFactValue(attrs: Pick<CountryFactAttrs, "value" | "unit">): string {
  return [attrs.value, attrs.unit].filter(Boolean).join(" ");
}
