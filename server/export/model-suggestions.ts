import type { ExportSuggestion, Run } from "./model-types";
import { SUGGESTION_DIGIT_0, SUGGESTION_END, SUGGESTION_MID, SUGGESTION_START } from "./suggestion-markup";

/**
 * The export model's side of suggestion markup (server/export/suggestion-markup.ts): the markers
 * written into a copy of the document become suggested-deletion (`sd`) and suggested-insertion
 * (`si`) runs, each with the index (`sg`) of its suggestion, whose author and time the Word file
 * and the Markdown need. Outside a markup export every marker is stripped.
 */

/** Every character the markup uses (U+FDD0–U+FDEF, all Unicode noncharacters): never text of the brief. */
export const MARKERS = /[\uFDD0-\uFDEF]/g;

const DIGIT_0 = SUGGESTION_DIGIT_0.charCodeAt(0);
const digit = (ch: string): number => {
  const d = ch.charCodeAt(0) - DIGIT_0;
  return d >= 0 && d <= 9 ? d : -1;
};

/** Where a build is in the marked text; carried across runs and blocks (a suggestion may span both). */
export interface MarkupState {
  /** 0 outside a suggestion, 1 in its original text, 2 in its replacement. */
  at: 0 | 1 | 2;
  /** The index of the open suggestion (-1: none given). */
  sg: number;
  /** Reading the index digits right after a start marker. */
  digits: boolean;
}

/** Set by buildExportModel for the duration of one (synchronous) build; null: no markup. */
let state: MarkupState | null = null;

export function withMarkup<T>(on: boolean, build: () => T): T {
  state = on ? { at: 0, sg: -1, digits: false } : null;
  try {
    return build();
  } finally {
    state = null;
  }
}

export const markupOn = () => state !== null;

/**
 * Splits a run's raw text at the markers into plain, `sd` and `si` runs; `clean` is the model's
 * body-text cleaner. Without markup, the run's text with every marker removed.
 */
export function splitSuggestions(run: Run, raw: string, clean: (s: string) => string): Run[] {
  if (!state) {
    const t = clean(raw).replace(MARKERS, "");
    return t ? [{ ...run, t }] : [];
  }
  const s = state;
  const out: Run[] = [];
  let piece = "";
  const push = () => {
    const t = clean(piece).replace(MARKERS, "");
    const mark = s.at === 1 ? { sd: true as const } : s.at === 2 ? { si: true as const } : {};
    if (t) out.push({ ...run, t, ...mark, ...(s.at && s.sg >= 0 ? { sg: s.sg } : {}) });
    piece = "";
  };
  for (const ch of raw) {
    if (s.digits) {
      const d = digit(ch);
      if (d >= 0) {
        s.sg = s.sg * 10 + d;
        continue;
      }
      s.digits = false;
    }
    if (ch === SUGGESTION_START || ch === SUGGESTION_MID || ch === SUGGESTION_END) {
      push();
      s.at = ch === SUGGESTION_START ? 1 : ch === SUGGESTION_MID ? 2 : 0;
      if (ch === SUGGESTION_START) {
        s.sg = 0;
        s.digits = true;
      }
    } else piece += ch;
  }
  push();
  return out;
}

/** A suggested topic title, read from the marked title attribute. */
export interface TitleSuggestion {
  original: string;
  replacement: string;
  sg: number;
}

const TITLE = /\uFDD0([\uFDE0-\uFDE9]*)([^\uFDD0-\uFDEF]*)\uFDD1([^\uFDD0-\uFDEF]*)\uFDD2/;

/**
 * A topic title (an attribute, so plain text): the PDF shows a suggested new title after the old
 * one in brackets; `suggestion` gives the two wordings apart for formats with real markup.
 */
export function topicTitle(title: string): { title: string; suggestion?: TitleSuggestion } {
  const m = state ? TITLE.exec(title) : null;
  if (!m) return { title: title.replace(MARKERS, "") };
  const sg = m[1] ? Number([...m[1]].map(digit).join("")) : -1;
  const original = m[2];
  const replacement = m[3];
  return { title: `${original} [suggested: ${replacement}]`, suggestion: { original, replacement, sg } };
}

/** Who made each suggestion and when, as the model carries it (index = the markup's index). */
export function exportSuggestions(list: { author: string; createdAt: string }[] | undefined, oneLine: (s: unknown) => string): ExportSuggestion[] {
  return (list ?? []).map((s) => ({ author: oneLine(s.author) || "Unknown", at: s.createdAt }));
}
