/**
 * Text matching shared by the two dialects' search (ADR 0111, 0203) and the quotes finder: the
 * fold both apply to names and words, the marks around matched terms, and the shape of a hit.
 */

/**
 * A name folded for matching as search does (ADR 0203): diacritics dropped (ş→s, ü→u, ç→c, ğ→g),
 * Turkish dotless ı and dotted İ read as i, case ignored. "Cavusoglu" finds "Çavuşoğlu".
 */
export function foldForMatch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[ıİ]/g, "i")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Marks that wrap matched terms in search snippets; the page splits on them, so no HTML is ever built from text. */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";

export type SearchHit = {
  briefingId: string;
  title: string;
  /** Title with MATCH_START/MATCH_END around matched terms. */
  titleHighlighted: string;
  /** An excerpt of the body with MATCH_START/MATCH_END around matched terms. */
  snippet: string;
  status: string;
};
