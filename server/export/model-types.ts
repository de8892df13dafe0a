/**
 * The brief as data: what the Typst template (`template/briefing.typ`) reads with `json()` and what
 * the read-only version view renders. Every string is shown literally; nothing here is markup.
 */
export interface ExportModel {
  meta: ExportMeta;
  blocks: ExportBlock[];
  /** The clearance record of a stored final version (its last section), or null. */
  clearance?: ExportClearance | null;
  /** With suggestion markup: who made each suggestion and when (`Run.sg` indexes into it). */
  suggestions?: ExportSuggestion[];
}

/** An open suggestion shown as markup: its author's name and when it was made (ISO time). */
export interface ExportSuggestion {
  author: string;
  at: string;
}

/** Who approved what and when before a version was finalized, and an owner's override. */
export interface ExportClearance {
  finalizedBy: string;
  finalizedAt: string;
  rows: { approver: string; section: string; decision: string; at: string; note: string }[];
  override: { by: string; reason: string } | null;
}

export interface ExportMeta {
  title: string;
  summitName: string;
  city: string;
  /** Human dates, e.g. "14–15 December 2026". */
  dates: string;
  team: string;
  /**
   * The brief's overall level: its highest portion mark or its minimum level, whichever is higher
   * (computed here from the document, never taken from the client). Cover, first and last page.
   */
  classification: string;
  /** Level names lowest first (the team's, then any unknown marks found): `lv` indexes into it. */
  levelNames: string[];
  /** Rank of the brief's minimum level: what a page without a higher mark carries. */
  baseRank: number;
  /** Rank of `classification`. */
  overallRank: number;
  status: "draft" | "in_review" | "final";
  statusLabel: string;
  /** "5 March 2026, 14:32 UTC". */
  exportedAt: string;
  /** ISO timestamp of the export, for the PDF metadata. */
  exportedAtIso: string;
  /** True unless this export is a stored final version: the template then draws the DRAFT watermark. */
  draft: boolean;
  /** Stored final version number, or null for the live document. */
  version: number | null;
  /** Full sha256 of the stored version, or null. */
  contentHash: string | null;
  /** First 12 hex digits of contentHash, printed in the footer. */
  shortHash: string | null;
  /** When the stored version was finalized, human form. */
  finalizedAt: string | null;
  finalizedBy: string | null;
}

/** A run of text with its marks. `br` is a hard line break. */
export interface Run {
  t: string;
  b?: true;
  i?: true;
  u?: true;
  s?: true;
  code?: true;
  /** http(s) or mailto target; other schemes are dropped and the text stays plain. */
  href?: string;
  br?: true;
  /** A name of a person or place (server/export/names.ts): never hyphenated. */
  nh?: true;
  /** Text an open suggestion would delete (`?suggestions=markup`). */
  sd?: true;
  /** Text an open suggestion would insert. */
  si?: true;
  /** The index of that suggestion in `ExportModel.suggestions`. */
  sg?: number;
}

export interface Lang {
  /** ISO 639 code as Typst wants it ("en", "tr", "kk"). */
  lang: string;
  /** ISO 3166 region or "". */
  region: string;
  /** False for languages Typst has no hyphenation patterns for (Kazakh): wrap, don't hyphenate. */
  hyphenate: boolean;
}

/**
 * `lv`: the rank of the block's level (its own portion mark or an enclosing block's), set only on
 * marked content. The PDF places it where the block starts and ends, so each page's banner shows
 * the highest level on that page. The mark's "(C)" is already the first run of the block's text.
 */
export type ExportBlock = ExportBlockBody & { lv?: number };

type ExportBlockBody =
  | { kind: "heading"; level: number; runs: Run[] }
  | { kind: "paragraph"; runs: Run[] }
  | { kind: "list"; ordered: boolean; start: number; items: ExportBlock[][] }
  | { kind: "blockquote"; blocks: ExportBlock[] }
  | { kind: "code"; text: string }
  | { kind: "rule" }
  | ExportQuote
  | ExportTopic
  | ExportFacts;

export interface ExportQuote {
  kind: "quote";
  runs: Run[];
  speaker: string;
  speakerRole: string;
  country: string;
  date: string;
  source: string;
  sourceHref: string;
  lang: Lang;
  translation: string;
}

export interface ExportTopic {
  kind: "topic";
  /** 1-based position among agenda topics in document order. */
  number: number;
  /** Heading level in the PDF outline (one below the surrounding heading). */
  level: number;
  title: string;
  /** With suggestion markup: a suggested new title, apart from `title` (which shows both in brackets). */
  titleSuggestion?: { original: string; replacement: string; sg: number };
  priority: "high" | "medium" | "low";
  status: "proposed" | "agreed" | "contested";
  owner: string;
  blocks: ExportBlock[];
}

export interface ExportFact {
  country: string;
  label: string;
  value: string;
  unit: string;
  asOf: string;
  source: string;
  sourceHref: string;
  stale: boolean;
}

/** Consecutive country facts, shown as one table. */
export interface ExportFacts {
  kind: "facts";
  /** The country when every row shares it (table caption), else "". */
  country: string;
  rows: ExportFact[];
}
