/**
 * The attributes of a `quote` block: rules, sanitiser, validation and the attribution line. Pure
 * (no Tiptap, no ProseMirror), so the projection thread reads quotes without loading the editor
 * schema (docs/decisions/0208); quote.ts builds the Tiptap node from these rules.
 */
import { ATTR_LIMITS } from "../shared/attrs";
import { sanitizeAll, TEXT, validateAll, type AttrRules } from "../shared/attribute-spec";
import { countryName } from "../country-fact/countries";

/** Attributes of a `quote` block. All strings; "" means "not set". */
export type QuoteAttrs = {
  /** Stable id of the block (projection key, link anchor `#block-<blockId>`). */
  blockId: string;
  speaker: string;
  /** Role or title, e.g. "Foreign Minister of Kazakhstan". */
  speakerRole: string;
  /** ISO 3166-1 alpha-2, e.g. "KZ", or "". */
  country: string;
  /** "YYYY-MM-DD" or "". */
  date: string;
  /** URL or citation. */
  source: string;
  /** BCP 47 language of the quoted words. @default "en" */
  lang: string;
  /** Optional translation of the words. @default "" */
  translation: string;
};

export const QUOTE_ATTR_RULES: AttrRules<QuoteAttrs> = {
  blockId: { kind: "id", label: "Block id" },
  speaker: TEXT("Speaker"),
  speakerRole: TEXT("Role"),
  country: { kind: "country", label: "Country" },
  date: { kind: "date", label: "Date" },
  source: TEXT("Source", ATTR_LIMITS.source),
  lang: { kind: "lang", fallback: "en", label: "Language" },
  translation: TEXT("Translation", ATTR_LIMITS.translation, true),
};

/** Every quote attribute with a safe value (defaults for missing or invalid ones). */
export const sanitizeQuoteAttrs = (input?: Partial<Record<keyof QuoteAttrs, unknown>> | null): QuoteAttrs =>
  sanitizeAll(QUOTE_ATTR_RULES, input);
/** Field errors for the given quote attributes; `{}` when valid. */
export const validateQuoteAttrs = (input: Partial<Record<keyof QuoteAttrs, unknown>>) => validateAll(QUOTE_ATTR_RULES, input);

/** The `— Speaker, Role (Country), date` line under the quoted words. */
export function quoteAttribution(attrs: Pick<QuoteAttrs, "speaker" | "speakerRole" | "country" | "date">): string {
  const who = [attrs.speaker, attrs.speakerRole].filter(Boolean).join(", ");
  const where = attrs.country ? ` (${countryName(attrs.country)})` : "";
  const when = attrs.date ? `, ${attrs.date}` : "";
  return who || where || when ? `— ${who}${where}${when}` : "";
}
