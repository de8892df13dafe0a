import type { ExportBlock, Run } from "./model-types";

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

/** The single words of those names, letters only, longest first so a longer name wins over its prefix. */
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

/** Splits a run so each name word is a run of its own marked `nh`; other text stays as it was. */
function splitRun(run: Run, pattern: RegExp): Run[] {
  if (run.br || !run.t) return [run];
  const out: Run[] = [];
  let at = 0;
  for (const m of run.t.matchAll(pattern)) {
    if (m.index > at) out.push({ ...run, t: run.t.slice(at, m.index) });
    out.push({ ...run, t: m[0], nh: true });
    at = m.index + m[0].length;
  }
  if (out.length === 0) return [run];
  if (at < run.t.length) out.push({ ...run, t: run.t.slice(at) });
  return out;
}

/**
 * Marks the name words in the text runs of `blocks`, so the template sets them with hyphenation
 * off. Done on the model, not with a Typst `show regex` rule: a show rule over every text of a
 * 50-page brief doubled its layout time (ADR 0402's budget).
 */
export function markNames(blocks: ExportBlock[], words: readonly string[]): ExportBlock[] {
  if (words.length === 0) return blocks;
  // Letters only in `words`: nothing to escape. Boundaries by letter class: JS \b is ASCII-only.
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}])(?:${words.join("|")})(?![\\p{L}\\p{M}])`, "gu");
  const runs = (rs: Run[]) => rs.flatMap((r) => splitRun(r, pattern));
  const walk = (list: ExportBlock[]): ExportBlock[] =>
    list.map((b) => {
      switch (b.kind) {
        case "paragraph":
        case "heading":
        case "quote":
          return { ...b, runs: runs(b.runs) };
        case "list":
          return { ...b, items: b.items.map(walk) };
        case "blockquote":
        case "topic":
          return { ...b, blocks: walk(b.blocks) };
        default:
          return b;
      }
    });
  return walk(blocks);
}

/**
 * The runs with name marks taken off and the pieces `markNames` split apart joined again: Word and
 * Markdown have their own line breaking, and a name split into its own run would only fragment
 * them (and, in Markdown, break emphasis into `**a****b**`).
 */
export function unmarkNames(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const { nh: _nh, ...plain } = run;
    const prev = out.at(-1);
    if (prev && !prev.br && !plain.br && sameMarks(prev, plain)) prev.t += plain.t;
    else out.push({ ...plain });
  }
  return out;
}

/** Same formatting, and the same suggestion (a suggested change never merges into the text around it). */
function sameMarks(a: Run, b: Run): boolean {
  return a.b === b.b && a.i === b.i && a.u === b.u && a.s === b.s && a.code === b.code && a.href === b.href && a.sd === b.sd && a.si === b.si && a.sg === b.sg;
}
