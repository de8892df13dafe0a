import { sql, type SQL } from "drizzle-orm";
import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import { foldForMatch, MATCH_END, MATCH_START, type SearchHit } from "../../text-match";
import * as pgSchema from "../../pg/schema";
import { briefingSearch } from "../../pg/schema";

/**
 * Full-text search on PostgreSQL (ADR 0111). SQLite folds diacritics in its FTS5 tokenizer and
 * Turkish ı/İ by indexing folded copies (ADR 0203); here both the indexed text and the query are
 * folded in JavaScript by the same `foldForMatch` the quotes finder uses (NFKD without marks,
 * ı and İ as i, lower case), and PostgreSQL only splits words (`simple` configuration: no stemming,
 * no stop words, like unicode61). So "Cavusoglu" finds "Çavuşoğlu", "istanbul" finds "İSTANBUL"
 * and "ilik" finds "ılık", whatever the database's locale, without the `unaccent` extension.
 */

/** A node-postgres database or a transaction on it. */
export type PgExecutor = PgDatabase<NodePgQueryResultHKT, typeof pgSchema>;

/** Most words of a query that count, and longest word, as on SQLite (toFtsQuery). */
const MAX_WORDS = 12;
const MAX_WORD = 64;
/** Words around the first match in a snippet (FTS5's snippet() is given 16 tokens). */
const SNIPPET_WORDS = 16;

/** The weighted tsvector of a search row: title (A) above body (B), as bm25 weights 5:1 on SQLite. */
function documentOf(title: string, body: string): SQL {
  return sql`setweight(to_tsvector('simple', ${foldForMatch(title)}), 'A') || setweight(to_tsvector('simple', ${foldForMatch(body)}), 'B')`;
}

/**
 * Writes a briefing's search row: `title` and `body` as the SQLite row holds them (the plain text,
 * no Turkish folds needed). Inside the caller's transaction when given one.
 */
export async function replaceSearchRowPg(db: PgExecutor, briefingId: string, title: string, body: string): Promise<void> {
  const document = documentOf(title, body);
  await db
    .insert(briefingSearch)
    .values({ briefingId, title, body, document })
    .onConflictDoUpdate({ target: briefingSearch.briefingId, set: { title, body, document } });
}

/** The words of a query, folded, at most 12 of at most 64 characters (letters and digits only). */
export function queryWords(input: string): string[] {
  const words = (input.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
  return words.map((w) => foldForMatch(w.slice(0, MAX_WORD))).filter(Boolean);
}

/**
 * A user's words → a `to_tsquery('simple', …)` text that cannot be a syntax error: each word is
 * letters and digits only, quoted, a prefix match, all required (as toFtsQuery on SQLite).
 */
export function toTsQuery(input: string): string {
  return queryWords(input)
    .map((w) => `'${w}':*`)
    .join(" & ");
}

/** Wraps every word of `text` that a query word is a prefix of in MATCH_START/MATCH_END. */
function highlightWords(text: string, words: string[]): { marked: string; first: number; tokens: { start: number; end: number; hit: boolean }[] } {
  const tokens: { start: number; end: number; hit: boolean }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const folded = foldForMatch(m[0]);
    tokens.push({ start: m.index, end: m.index + m[0].length, hit: words.some((w) => folded.startsWith(w)) });
  }
  let marked = "";
  let at = 0;
  for (const t of tokens) {
    if (!t.hit) continue;
    marked += `${text.slice(at, t.start)}${MATCH_START}${text.slice(t.start, t.end)}${MATCH_END}`;
    at = t.end;
  }
  return { marked: marked + text.slice(at), first: tokens.findIndex((t) => t.hit), tokens };
}

/** An excerpt of `body` of about 16 words around its first match, matches marked, "…" where cut. */
export function snippetOf(body: string, words: string[]): string {
  const { tokens, first } = highlightWords(body, words);
  if (tokens.length === 0) return "";
  const from = Math.max(0, Math.min(first < 0 ? 0 : first - 4, tokens.length - SNIPPET_WORDS));
  const to = Math.min(tokens.length, from + SNIPPET_WORDS) - 1;
  const start = from === 0 ? 0 : tokens[from].start;
  const end = to === tokens.length - 1 ? body.length : tokens[to].end;
  const { marked } = highlightWords(body.slice(start, end), words);
  return `${from > 0 ? "…" : ""}${marked}${to < tokens.length - 1 ? "…" : ""}`;
}

/**
 * Full-text search over the titles and bodies of the team's unarchived briefings, best match first:
 * the same hits, fields and highlight marks as searchBriefings on SQLite.
 */
export async function searchBriefingsPg(db: PgExecutor, teamId: string, input: string, limit = 50): Promise<SearchHit[]> {
  const words = queryWords(input);
  if (words.length === 0) return [];
  const query = toTsQuery(input);
  const result = await db.execute<{ briefingId: string; title: string; body: string; status: string }>(sql`
    select s.briefing_id as "briefingId", b.title as title, s.body as body, b.status as status
    from briefing_search s
    join briefings b on b.id = s.briefing_id
    where s.document @@ to_tsquery('simple', ${query})
      and b.team_id = ${teamId}
      and b.archived_at is null
    order by ts_rank(s.document, to_tsquery('simple', ${query})) desc, b.last_edited_at desc
    limit ${limit}
  `);
  return result.rows.map((r) => ({
    briefingId: r.briefingId,
    title: r.title,
    titleHighlighted: highlightWords(r.title, words).marked,
    snippet: snippetOf(r.body, words),
    status: r.status,
  }));
}
