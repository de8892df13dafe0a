import { DeletedTextRun, InsertedTextRun, TextRun, type IRunOptions, type ParagraphChild } from "docx";
import type { ExportSuggestion, ExportTopic } from "./model-types";

/**
 * Open suggestions in the Word file (`?suggestions=markup`) as Word's own tracked changes: a
 * suggested deletion is a `w:del` run, an insertion a `w:ins` run, each with the suggester's name
 * and the time it was made, so Word's Review pane lists them and accepts or rejects each one.
 */

/** Revisions of the document being written; set by renderDocx for one (synchronous) build. */
let current: { suggestions: ExportSuggestion[]; nextId: number } | null = null;

export function withRevisions<T>(suggestions: ExportSuggestion[] | undefined, build: () => T): T {
  current = { suggestions: suggestions ?? [], nextId: 1 };
  try {
    return build();
  } finally {
    current = null;
  }
}

/** Word wants ISO 8601 without fractions of a second. */
const wordDate = (iso: string) => iso.replace(/\.\d+Z$/, "Z");

function revision(sg: number | undefined): { id: number; author: string; date: string } {
  const s = (sg !== undefined ? current?.suggestions[sg] : undefined) ?? { author: "Unknown", at: new Date(0).toISOString() };
  // Every revision needs its own id in the document.
  const id = current ? current.nextId++ : 1;
  return { id, author: s.author, date: wordDate(s.at) };
}

/** A run a suggestion deletes or inserts, or null for ordinary text. */
export function trackedRun(options: IRunOptions, change: { sd?: true; si?: true; sg?: number }): ParagraphChild | null {
  if (change.sd) return new DeletedTextRun({ ...options, ...revision(change.sg) });
  if (change.si) return new InsertedTextRun({ ...options, ...revision(change.sg) });
  return null;
}

/** A topic heading's text with a suggested new title as a deletion and an insertion; null without one. */
export function topicTitleRuns(t: ExportTopic): ParagraphChild[] | null {
  const s = t.titleSuggestion;
  if (!s) return null;
  // `title` holds both wordings after any portion mark ("(C) "): keep what comes before them.
  const shown = `${s.original} [suggested: ${s.replacement}]`;
  const prefix = t.title.endsWith(shown) ? t.title.slice(0, -shown.length) : "";
  const sg = s.sg >= 0 ? s.sg : undefined;
  const out: ParagraphChild[] = [new TextRun({ text: `${t.number}. ${prefix}` })];
  if (s.original) out.push(trackedRun({ text: s.original }, { sd: true, sg })!);
  if (s.replacement) out.push(trackedRun({ text: s.replacement }, { si: true, sg })!);
  return out;
}
