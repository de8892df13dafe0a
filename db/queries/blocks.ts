import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { searchBriefingsSqlite } from "../dialect/sqlite/search";
import { newId } from "../ids";
import { searchBriefingsPg } from "../dialect/pg/search";
import type { LibraryFact } from "../schema";
import { exec, first, type Store } from "../store";
import { foldForMatch, type SearchHit } from "../text-match";

// Where they were first written; db/text-match.ts holds them for both dialects' search.
export { foldForMatch, MATCH_END, MATCH_START, type SearchHit } from "../text-match";

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

/**
 * SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not: ILIKE there, so a
 * library search for "gdp" finds "GDP" on both (ADR 0111).
 */
function likeOperator(store: Store): SQL {
  return sql.raw(store.dialect === "pg" ? "ilike" : "like");
}

/** The team's library, by country then label; `q` matches label, value or country code, `country` filters. */
export async function listLibraryFacts(store: Store, teamId: string, opts: { q?: string; country?: string } = {}): Promise<LibraryFact[]> {
  return exec(store, (db, t) => {
    const conditions = [eq(t.factLibrary.teamId, teamId)];
    if (opts.country) conditions.push(eq(t.factLibrary.country, opts.country));
    if (opts.q) {
      const pattern = likePattern(opts.q);
      const op = likeOperator(store);
      conditions.push(
        or(
          sql`${t.factLibrary.label} ${op} ${pattern} escape '\\'`,
          sql`${t.factLibrary.value} ${op} ${pattern} escape '\\'`,
          sql`${t.factLibrary.source} ${op} ${pattern} escape '\\'`,
          eq(t.factLibrary.country, opts.q.toUpperCase()),
        )!,
      );
    }
    return db
      .select()
      .from(t.factLibrary)
      .where(and(...conditions))
      .orderBy(asc(t.factLibrary.country), asc(t.factLibrary.label));
  });
}

/** The countries the team's library has facts for (for the filter). */
export async function listLibraryCountries(store: Store, teamId: string): Promise<string[]> {
  const found = await exec(store, (db, t) =>
    db.selectDistinct({ country: t.factLibrary.country }).from(t.factLibrary).where(eq(t.factLibrary.teamId, teamId)).orderBy(asc(t.factLibrary.country)),
  );
  return found.map((r) => r.country);
}

export async function getLibraryFact(store: Store, teamId: string, factId: string): Promise<LibraryFact | undefined> {
  return first(
    await exec(store, (db, t) =>
      db
        .select()
        .from(t.factLibrary)
        .where(and(eq(t.factLibrary.id, factId), eq(t.factLibrary.teamId, teamId)))
        .limit(1),
    ),
  );
}

export async function createLibraryFact(store: Store, teamId: string, input: LibraryFactInput, userId: string | null, id: string = newId()): Promise<LibraryFact> {
  const [fact] = await exec(store, (db, t) =>
    db
      .insert(t.factLibrary)
      .values({ id, teamId, ...input, updatedBy: userId, updatedAt: new Date() })
      .returning(),
  );
  return fact;
}

/** Updates a fact of this team; undefined when the team has no such fact. */
export async function updateLibraryFact(store: Store, teamId: string, factId: string, input: LibraryFactInput, userId: string): Promise<LibraryFact | undefined> {
  return first(
    await exec(store, (db, t) =>
      db
        .update(t.factLibrary)
        .set({ ...input, updatedBy: userId, updatedAt: new Date() })
        .where(and(eq(t.factLibrary.id, factId), eq(t.factLibrary.teamId, teamId)))
        .returning(),
    ),
  );
}

/** Quotes in the team's (unarchived) briefings, newest briefing first, filtered by speaker and country. */
export async function listTeamQuotes(store: Store, teamId: string, opts: { speaker?: string; country?: string } = {}) {
  const wanted = opts.speaker ? foldForMatch(opts.speaker) : "";
  let speakers: string[] | undefined;
  if (wanted) {
    // Neither dialect's LIKE folds diacritics or ı: match the team's distinct speakers here (a
    // short list), then select their quotes by exact name.
    const all = await exec(store, (db, t) => db.selectDistinct({ v: t.quotes.speaker }).from(t.quotes).where(eq(t.quotes.teamId, teamId)));
    speakers = all.map((r) => r.v).filter((name) => foldForMatch(name).includes(wanted));
    if (speakers.length === 0) return [];
  }
  return exec(store, (db, t) => {
    const conditions = [eq(t.quotes.teamId, teamId), isNull(t.briefings.archivedAt)];
    if (speakers) conditions.push(inArray(t.quotes.speaker, speakers));
    if (opts.country) conditions.push(eq(t.quotes.country, opts.country));
    return db
      .select({
        briefingId: t.quotes.briefingId,
        briefingTitle: t.briefings.title,
        blockId: t.quotes.blockId,
        text: t.quotes.text,
        speaker: t.quotes.speaker,
        speakerRole: t.quotes.speakerRole,
        country: t.quotes.country,
        date: t.quotes.date,
        source: t.quotes.source,
        lang: t.quotes.lang,
        translation: t.quotes.translation,
      })
      .from(t.quotes)
      .innerJoin(t.briefings, eq(t.briefings.id, t.quotes.briefingId))
      .where(and(...conditions))
      .orderBy(desc(t.briefings.lastEditedAt), asc(t.quotes.briefingId), asc(t.quotes.position))
      .limit(500);
  });
}

/** Distinct speakers and countries of the team's quotes (for the filters). */
export async function listQuoteFacets(store: Store, teamId: string): Promise<{ speakers: string[]; countries: string[] }> {
  const speakers = await exec(store, (db, t) =>
    db
      .selectDistinct({ v: t.quotes.speaker })
      .from(t.quotes)
      .where(and(eq(t.quotes.teamId, teamId), ne(t.quotes.speaker, "")))
      .orderBy(asc(t.quotes.speaker)),
  );
  const countries = await exec(store, (db, t) =>
    db
      .selectDistinct({ v: t.quotes.country })
      .from(t.quotes)
      .where(and(eq(t.quotes.teamId, teamId), ne(t.quotes.country, "")))
      .orderBy(asc(t.quotes.country)),
  );
  return { speakers: speakers.map((r) => r.v), countries: countries.map((r) => r.v) };
}

/**
 * Full-text search over the titles and bodies of the team's unarchived briefings, best match first.
 * The statement is each dialect's own (FTS5 on SQLite, a tsvector on PostgreSQL, ADR 0111).
 */
export async function searchBriefings(store: Store, teamId: string, input: string, limit = 50): Promise<SearchHit[]> {
  if (store.dialect === "pg") return searchBriefingsPg(store.db, teamId, input, limit);
  return exec(store, (db) => searchBriefingsSqlite(db, teamId, input, limit));
}
