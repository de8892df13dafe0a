import { and, asc, eq, inArray, isNull, like, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { briefings, factLibrary, quotes, type LibraryFact } from "../schema";

/** What a library fact is made of; validated by the caller (app/utils/blocks.server.ts). */
export type LibraryFactInput = {
  country: string;
  label: string;
  value: string;
  unit: string;
  asOf: string;
  source: string;
};

/** Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The team's library, by country then label; `q` matches label, value or country code, `country` filters. */
export function listLibraryFacts(db: Db, teamId: string, opts: { q?: string; country?: string } = {}): LibraryFact[] {
  const conditions = [eq(factLibrary.teamId, teamId)];
  if (opts.country) conditions.push(eq(factLibrary.country, opts.country));
  if (opts.q) {
    const pattern = likePattern(opts.q);
    conditions.push(
      or(
        sql`${factLibrary.label} like ${pattern} escape '\\'`,
        sql`${factLibrary.value} like ${pattern} escape '\\'`,
        sql`${factLibrary.source} like ${pattern} escape '\\'`,
        like(factLibrary.country, opts.q.toUpperCase()),
      )!,
    );
  }
  return db
    .select()
    .from(factLibrary)
    .where(and(...conditions))
    .orderBy(asc(factLibrary.country), asc(factLibrary.label))
    .all();
}

/** The countries the team's library has facts for (for the filter). */
export function listLibraryCountries(db: Db, teamId: string): string[] {
  return db
    .selectDistinct({ country: factLibrary.country })
    .from(factLibrary)
    .where(eq(factLibrary.teamId, teamId))
    .orderBy(asc(factLibrary.country))
    .all()
    .map((r) => r.country);
}

export function getLibraryFact(db: Db, teamId: string, factId: string): LibraryFact | undefined {
  return db
    .select()
    .from(factLibrary)
    .where(and(eq(factLibrary.id, factId), eq(factLibrary.teamId, teamId)))
    .get();
}

export function createLibraryFact(db: Db, teamId: string, input: LibraryFactInput, userId: string | null, id: string = newId()): LibraryFact {
  return db
    .insert(factLibrary)
    .values({ id, teamId, ...input, updatedBy: userId, updatedAt: new Date() })
    .returning()
    .get();
}

/** Updates a fact of this team; undefined when the team has no such fact. */
export function updateLibraryFact(db: Db, teamId: string, factId: string, input: LibraryFactInput, userId: string): LibraryFact | undefined {
  return db
    .update(factLibrary)
    .set({ ...input, updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(factLibrary.id, factId), eq(factLibrary.teamId, teamId)))
    .returning()
    .get();
}

/**
 * A name folded for matching as search does (ADR 0203): diacritics dropped (ş→s, ü→u, ç→c, ğ→g),
 * Turkish dotless ı and dotted İ read as i, case ignored. "Cavusoglu" finds "Çavuşoğlu".
 */
export function foldForMatch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[ıİ]/g, "i")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Quotes in the team's (unarchived) briefings, newest briefing first, filtered by speaker and country. */
export function listTeamQuotes(db: Db, teamId: string, opts: { speaker?: string; country?: string } = {}) {
  const conditions = [eq(quotes.teamId, teamId), isNull(briefings.archivedAt)];
  const wanted = opts.speaker ? foldForMatch(opts.speaker) : "";
  if (wanted) {
    // SQLite's LIKE folds neither diacritics nor ı: match the team's distinct speakers here (a
    // short list), then select their quotes by exact name.
    const speakers = db
      .selectDistinct({ v: quotes.speaker })
      .from(quotes)
      .where(eq(quotes.teamId, teamId))
      .all()
      .map((r) => r.v)
      .filter((name) => foldForMatch(name).includes(wanted));
    if (speakers.length === 0) return [];
    conditions.push(inArray(quotes.speaker, speakers));
  }
  if (opts.country) conditions.push(eq(quotes.country, opts.country));
  return db
    .select({
      briefingId: quotes.briefingId,
      briefingTitle: briefings.title,
      blockId: quotes.blockId,
      text: quotes.text,
      speaker: quotes.speaker,
      speakerRole: quotes.speakerRole,
      country: quotes.country,
      date: quotes.date,
      source: quotes.source,
      lang: quotes.lang,
      translation: quotes.translation,
    })
    .from(quotes)
    .innerJoin(briefings, eq(briefings.id, quotes.briefingId))
    .where(and(...conditions))
    .orderBy(sql`${briefings.lastEditedAt} desc`, asc(quotes.briefingId), asc(quotes.position))
    .limit(500)
    .all();
}

/** Distinct speakers and countries of the team's quotes (for the filters). */
export function listQuoteFacets(db: Db, teamId: string): { speakers: string[]; countries: string[] } {
  const speakers = db
    .selectDistinct({ v: quotes.speaker })
    .from(quotes)
    .where(and(eq(quotes.teamId, teamId), sql`${quotes.speaker} <> ''`))
    .orderBy(asc(quotes.speaker))
    .all();
  const countries = db
    .selectDistinct({ v: quotes.country })
    .from(quotes)
    .where(and(eq(quotes.teamId, teamId), sql`${quotes.country} <> ''`))
    .orderBy(asc(quotes.country))
    .all();
  return { speakers: speakers.map((r) => r.v), countries: countries.map((r) => r.v) };
}

/** Marks that wrap matched terms in search snippets; the page splits on them, so no HTML is ever built from text. */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";

/**
 * A user's words → an FTS5 MATCH expression that cannot be a syntax error: each word (letters and
 * digits only) becomes a quoted prefix term, all of them required. Empty when there is nothing to
 * search for. Diacritics are folded by the index's tokenizer (`remove_diacritics 2`).
 */
export function toFtsQuery(input: string): string {
  const words = (input.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
  return words.map((w) => `"${w.slice(0, 64)}"*`).join(" ");
}

export type SearchHit = {
  briefingId: string;
  title: string;
  /** Title with MATCH_START/MATCH_END around matched terms. */
  titleHighlighted: string;
  /** An excerpt of the body with MATCH_START/MATCH_END around matched terms. */
  snippet: string;
  status: string;
};

/** Full-text search over the titles and bodies of the team's unarchived briefings, best match first. */
export function searchBriefings(db: Db, teamId: string, input: string, limit = 50): SearchHit[] {
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
