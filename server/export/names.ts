import type { ExportBlock } from "./model-types";

/**
 * Names of people and places that the print must never hyphenate ("Er-doğan", "Ank-ara" read as
 * errors to a minister). The desk's recurring names are listed here; every brief adds its quote
 * speakers, countries, fact countries, topic owners and the summit city.
 */
export const KNOWN_NAMES = [
  "Recep Tayyip Erdoğan",
  "Kassym-Jomart Tokayev",
  "Nursultan Nazarbayev",
  "Mevlüt Çavuşoğlu",
  "Mukhtar Tleuberdi",
  "Hakan Fidan",
  "Murat Nurtleu",
  "Ankara",
  "Astana",
  "Almaty",
  "Istanbul",
  "İstanbul",
  "Antalya",
  "Shymkent",
  "Türkiye",
  "Kazakhstan",
  "Uzbekistan",
  "Kyrgyzstan",
  "Turkmenistan",
  "Azerbaijan",
  "Afghanistan",
];

/** Hyphenation needs a few letters on each side; shorter words never break. */
const MIN_WORD = 4;
/** Bounds the pattern the template compiles, whatever a brief holds. */
const MAX_WORDS = 400;

/**
 * The single words of those names, letters only (so the template can join them into a regex with
 * no escaping), longest first so a longer name wins over its prefix.
 */
export function nameWords(blocks: readonly ExportBlock[], extra: readonly string[]): string[] {
  const names: string[] = [...KNOWN_NAMES, ...extra];
  const walk = (list: readonly ExportBlock[]) => {
    for (const b of list) {
      if (b.kind === "quote") names.push(b.speaker, b.country);
      else if (b.kind === "facts") names.push(b.country, ...b.rows.map((r) => r.country));
      else if (b.kind === "topic") {
        names.push(b.owner);
        walk(b.blocks);
      } else if (b.kind === "list") b.items.forEach(walk);
      else if (b.kind === "blockquote") walk(b.blocks);
    }
  };
  walk(blocks);
  const words = new Set<string>();
  for (const name of names) {
    for (const w of name.normalize("NFC").match(/[\p{L}\p{M}]+/gu) ?? []) if (Array.from(w).length >= MIN_WORD) words.add(w);
  }
  return [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, MAX_WORDS);
}
