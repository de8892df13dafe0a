/**
 * The migration that makes final version numbers unique (SQLite 0011, PostgreSQL 0003, ADR 0510)
 * met a database holding one number twice: it stopped in its own transaction, and this names the
 * rows to resolve instead of leaving the operator with the index's error.
 */
export interface DuplicateFinalVersion {
  briefingId: string;
  version: number;
  rows: number;
}

/** Lists at most this many duplicated numbers in the message (the count says how many there are). */
const LISTED = 10;

/** The query both dialects answer with the duplicated numbers, oldest briefing id first. */
export const DUPLICATE_FINAL_VERSIONS_SQL =
  "select briefing_id, version, count(*) as n from briefing_versions group by briefing_id, version having count(*) > 1 order by briefing_id, version";

/** A row of DUPLICATE_FINAL_VERSIONS_SQL (PostgreSQL gives count(*) as a string). */
export type DuplicateRow = { briefing_id: string; version: number | string; n: number | string };

export class DuplicateFinalVersionsError extends Error {
  readonly duplicates: DuplicateFinalVersion[];

  /** `rows`: DUPLICATE_FINAL_VERSIONS_SQL's answer; `cause`: the index's error. */
  constructor(rows: DuplicateRow[], cause: unknown) {
    const duplicates = rows.map((r) => ({ briefingId: r.briefing_id, version: Number(r.version), rows: Number(r.n) }));
    const listed = duplicates
      .slice(0, LISTED)
      .map((d) => `briefing ${d.briefingId} version ${d.version} (${d.rows} rows)`)
      .join(", ");
    const more = duplicates.length > LISTED ? ` and ${duplicates.length - LISTED} more` : "";
    super(
      `Cannot make final version numbers unique: ${duplicates.length} number(s) are recorded more than once: ${listed}${more}. ` +
        'Nothing was changed. Remove the duplicate briefing_versions rows (docs/deployment.md, "Final version numbers") and start again.',
      { cause },
    );
    this.name = "DuplicateFinalVersionsError";
    this.duplicates = duplicates;
  }
}
