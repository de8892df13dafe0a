import { z } from "zod";
import { ATTR_LIMITS, cleanText, isCountryCode, isIsoDate } from "../../extensions/shared/attrs";

/** Text as a block stores it (no control characters, one line), then checked for presence and length. */
const text = (max: number, required?: string) =>
  z
    .string({ required_error: required ?? "Required." })
    .transform((s) => cleanText(s, Number.MAX_SAFE_INTEGER))
    .pipe(required ? z.string().min(1, required).max(max, `At most ${max} characters.`) : z.string().max(max, `At most ${max} characters.`));

/** The library-fact form, shared by the page and its action, with the same limits as the countryFact block. */
export const LibraryFactSchema = z.object({
  country: z
    .string({ required_error: "Choose a country." })
    .trim()
    .transform((s) => s.toUpperCase())
    .refine(isCountryCode, "Use a two-letter ISO country code such as KZ or TR."),
  label: text(ATTR_LIMITS.short, "Say what the fact is, e.g. “Foreign minister”."),
  value: text(ATTR_LIMITS.short, "Give the value."),
  unit: text(ATTR_LIMITS.unit).default(""),
  asOf: z.string({ required_error: "Give the as-of date." }).trim().refine(isIsoDate, "Use a real date written like 2026-11-20."),
  source: text(ATTR_LIMITS.source, "Cite a source: a URL or a publication."),
});

export type LibraryFactForm = z.infer<typeof LibraryFactSchema>;

/** A library fact as pages and the editor's fact picker receive it. */
export type LibraryFactDTO = {
  id: string;
  country: string;
  countryName: string;
  label: string;
  value: string;
  unit: string;
  asOf: string;
  source: string;
  /** ISO timestamp of the last change. */
  updatedAt: string;
  stale: boolean;
};
