/**
 * Classification levels and portion marks: pure rules shared by the editor, the server (projection,
 * exports, forms) and tests. No DOM, no Node built-ins, no database.
 *
 * A team orders its levels from lowest to highest. A portion mark on a block stores the level's
 * *name* (not its position), so renaming the abbreviation or inserting a level leaves every marked
 * block meaning what its author chose. See docs/decisions/0406.
 */

export interface ClassificationLevel {
  /** Upper case, e.g. "CONFIDENTIAL". */
  name: string;
  /** Shown in brackets at the start of a marked block, e.g. "C". */
  abbr: string;
}

export const DEFAULT_LEVELS: readonly ClassificationLevel[] = [
  { name: "UNCLASSIFIED", abbr: "U" },
  { name: "RESTRICTED", abbr: "R" },
  { name: "CONFIDENTIAL", abbr: "C" },
  { name: "SECRET", abbr: "S" },
];

export const LEVEL_LIMITS = { minLevels: 2, maxLevels: 10, name: 40, abbr: 6 } as const;

/** A level name: upper-case letters (any script), digits, spaces and hyphens, starting with a letter. */
export const LEVEL_NAME_REGEX = /^\p{Lu}[\p{Lu}\p{N} -]{0,39}$/u;
/** An abbreviation: one to six upper-case letters or digits. */
export const LEVEL_ABBR_REGEX = /^[\p{Lu}\p{N}]{1,6}$/u;

/** Any value → a well-formed level name (trimmed, upper case, single spaces), or "" (no mark). */
export function sanitizeLevelName(value: unknown): string {
  if (typeof value !== "string") return "";
  const s = value.trim().replace(/\s+/g, " ").toLocaleUpperCase("en");
  return LEVEL_NAME_REGEX.test(s) ? s : "";
}

/**
 * Checks an owner's list of levels; returns the cleaned list or a message saying what is wrong.
 * Names and abbreviations must be unique so that a mark or an abbreviation reads one way only.
 */
export function validateLevels(input: { name: unknown; abbr: unknown }[]): { levels: ClassificationLevel[] } | { error: string } {
  const rows = input.filter((r) => String(r.name ?? "").trim() !== "" || String(r.abbr ?? "").trim() !== "");
  if (rows.length < LEVEL_LIMITS.minLevels || rows.length > LEVEL_LIMITS.maxLevels) {
    return { error: `Give between ${LEVEL_LIMITS.minLevels} and ${LEVEL_LIMITS.maxLevels} levels.` };
  }
  const levels: ClassificationLevel[] = [];
  for (const [i, row] of rows.entries()) {
    const name = sanitizeLevelName(row.name);
    if (!name) return { error: `Level ${i + 1}: the name must start with a letter and use only capital letters, digits, spaces and hyphens (at most ${LEVEL_LIMITS.name}).` };
    const abbr = typeof row.abbr === "string" ? row.abbr.trim().toLocaleUpperCase("en") : "";
    if (!LEVEL_ABBR_REGEX.test(abbr)) return { error: `Level ${i + 1}: the abbreviation must be 1 to ${LEVEL_LIMITS.abbr} capital letters or digits.` };
    if (levels.some((l) => l.name === name)) return { error: `The name ${name} is given twice.` };
    if (levels.some((l) => l.abbr === abbr)) return { error: `The abbreviation ${abbr} is given twice.` };
    levels.push({ name, abbr });
  }
  return { levels };
}

/** Stored levels (JSON text or an array) → the levels; anything unreadable gives the defaults. */
export function parseLevels(stored: unknown): ClassificationLevel[] {
  let value = stored;
  if (typeof stored === "string") {
    try {
      value = JSON.parse(stored);
    } catch {
      value = null;
    }
  }
  if (!Array.isArray(value)) return DEFAULT_LEVELS.map((l) => ({ ...l }));
  const checked = validateLevels(value as { name: unknown; abbr: unknown }[]);
  return "levels" in checked ? checked.levels : DEFAULT_LEVELS.map((l) => ({ ...l }));
}

/**
 * Position of a level, lowest 0. A mark naming a level the team no longer has ranks above every
 * level: an export may over-mark after a team renames a level, but never under-mark. "" is -1.
 */
export function levelRank(levels: readonly ClassificationLevel[], name: string): number {
  if (!name) return -1;
  const i = levels.findIndex((l) => l.name === name);
  return i >= 0 ? i : levels.length;
}

/** The higher of two level names by the team's order. */
export function higherLevel(levels: readonly ClassificationLevel[], a: string, b: string): string {
  return levelRank(levels, b) > levelRank(levels, a) ? b : a;
}

/** The brief's level: its highest portion mark or its minimum level, whichever is higher. */
export function effectiveLevel(levels: readonly ClassificationLevel[], minimum: string, marks: Iterable<string>): string {
  let top = minimum;
  for (const m of marks) top = higherLevel(levels, top, m);
  return top;
}

/** "(C)" for a marked block; an unknown level shows its name. */
export function markLabel(levels: readonly ClassificationLevel[], name: string): string {
  if (!name) return "";
  return `(${levels.find((l) => l.name === name)?.abbr ?? name})`;
}

/** The distinct portion marks in ProseMirror JSON, sanitised, in document order. */
export function collectPortionMarks(doc: { attrs?: Record<string, unknown> | null; content?: unknown[] | null }): string[] {
  const found = new Set<string>();
  const stack: { attrs?: Record<string, unknown> | null; content?: unknown[] | null }[] = [doc];
  while (stack.length) {
    const node = stack.pop()!;
    const mark = sanitizeLevelName(node.attrs?.[PORTION_MARK_ATTR]);
    if (mark) found.add(mark);
    const children = (node.content ?? []) as (typeof node)[];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return [...found];
}

/** The node attribute that holds a portion mark. */
export const PORTION_MARK_ATTR = "portionMark";

/** Node types that may carry a portion mark. */
export const PORTION_MARK_TYPES = [
  "paragraph",
  "heading",
  "bulletList",
  "orderedList",
  "listItem",
  "blockquote",
  "quote",
  "agendaTopic",
  "countryFact",
] as const;
