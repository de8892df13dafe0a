import { sql } from "drizzle-orm";
import type { Db } from "../../client";
import { MATCH_END, MATCH_START, type SearchHit } from "../../text-match";

/**
 * Full-text search on SQLite: the FTS5 table `briefing_search` (`unicode61 remove_diacritics 2`,
 * Turkish ı/İ folded by the indexed copies of ADR 0203), ranked by bm25 with the title weighted
 * five times the body. The PostgreSQL twin is db/dialect/pg/search.ts.
 */

/**
 * A user's words → an FTS5 MATCH expression that cannot be a syntax error: each word (letters and
 * digits only) becomes a quoted prefix term, all of them required. Empty when there is nothing to
 * search for. Diacritics are folded by the index's tokenizer (`remove_diacritics 2`).
 */
export function toFtsQuery(input: string): string {
  const words = (input.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
  return words.map((w) => `"${w.slice(0, 64)}"*`).join(" ");
}

/** SQLite: the team's unarchived briefings matching `input`, best first. Run it through `exec` (the connection's mutex). */
export function searchBriefingsSqlite(db: Db, teamId: string, input: string, limit: number): SearchHit[] {
  const match = toFtsQuery(input);
  if (!match) return [];
  return db.all<SearchHit>(sql`
    select s.briefing_id as briefingId,
           b.title as title,
           highlight(briefing_search, 1, ${MATCH_START}, ${MATCH_END}) as titleHighlighted,
           snippet(briefing_search, 2, ${MATCH_START}, ${MATCH_END}, '…', 16) as snippet,
           b.status as status
    from briefing_search s
    join briefings b on b.id = s.briefing_id
    where briefing_search match ${match}
      and b.team_id = ${teamId}
      and b.archived_at is null
    order by bm25(briefing_search, 0, 5.0, 1.0)
    limit ${limit}
  `);
}
