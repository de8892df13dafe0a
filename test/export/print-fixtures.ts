/** Text for print-quality tests: names at every offset in a line, and a brief whose end is short. */

export const NAMES = ["Erdoğan", "Tokayev", "Çavuşoğlu", "Ankara", "Astana", "Tleuberdi", "Nazarbayev"];

/**
 * Paragraphs that shift each name one word further along every time, so with hyphenation some
 * land at a line's end where a hyphenating layout would break them.
 */
export function nameFiller(count = 24): string[] {
  const words = ["the", "talks", "on", "transit", "tariffs", "and", "rail", "capacity", "continue"];
  return Array.from({ length: count }, (_, i) => {
    const lead = Array.from({ length: i }, (_, j) => words[j % words.length]).join(" ");
    return `${lead} ${NAMES.map((n, k) => `${n} ${words[(i + k) % words.length]}`).join(" ")} ${NAMES.join(" ")}.`;
  });
}

/** Two-line paragraphs: 21 of them and a one-line closing leave a nearly empty last page. */
export const SHORT_END_PARAGRAPHS = 21;
export const SHORT_END_CLOSING = "Closing remark.";
export function shortEndFiller(i: number): string {
  return `Filler paragraph ${i}: the delegation of Erdoğan and Tokayev will discuss logistics in Ankara and Astana, with Çavuşoğlu briefing the press on the Middle Corridor and transit tariffs.`;
}
