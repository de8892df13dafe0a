import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema, type Db } from "../../db/client";
import { pgSchema, type PgDb } from "../../db/pg/client";
import { searchBriefingsPg } from "../../db/dialect/pg/search";
import { projectionOfState, type Projection } from "../../server/persistence/projection";
import { writeProjectionRows } from "../../server/persistence/projection-store";
import { writeProjectionRowsPg } from "../../server/persistence/pg-projection-store";
import { buildSeedDocument } from "../../server/seed/demo-document";
import { readSampleArticle } from "../../server/seed/demo";
import { insertPgBriefing, insertSqliteBriefing, pgDatabase, sqliteDatabase, TEAM_ID } from "../helpers/document-stores";
import { postgresAvailable, type TestPostgres } from "../helpers/postgres";

const hasPostgres = postgresAvailable();

/**
 * The projection thread's writes on both dialects (ADR 0111): the same projection written through
 * the SQLite statements and through their PostgreSQL twin leaves the same rows, and reports the same
 * counts of what it wrote.
 */
describe.skipIf(!hasPostgres)("projection rows on SQLite and PostgreSQL", () => {
  let sqlite: Db;
  let database: TestPostgres;
  let pgdb: PgDb;
  const ID = "b-projected";

  beforeAll(async () => {
    sqlite = sqliteDatabase();
    ({ pg: database, db: pgdb } = await pgDatabase());
    insertSqliteBriefing(sqlite, ID);
    await insertPgBriefing(pgdb, ID);
  });
  afterAll(async () => {
    sqlite?.$client.close();
    await pgdb?.$client.end();
    await database?.drop();
  });

  async function rowsOf(id: string) {
    const s = {
      quotes: sqlite.select().from(schema.quotes).where(eq(schema.quotes.briefingId, id)).orderBy(asc(schema.quotes.blockId)).all(),
      topics: sqlite.select().from(schema.agendaTopics).where(eq(schema.agendaTopics.briefingId, id)).orderBy(asc(schema.agendaTopics.blockId)).all(),
      facts: sqlite.select().from(schema.countryFacts).where(eq(schema.countryFacts.briefingId, id)).orderBy(asc(schema.countryFacts.blockId)).all(),
      text: sqlite.select({ body: schema.briefingTexts.body }).from(schema.briefingTexts).where(eq(schema.briefingTexts.briefingId, id)).all(),
      marks: sqlite.select({ marks: schema.briefings.portionMarks }).from(schema.briefings).where(eq(schema.briefings.id, id)).all(),
      searchTitle: sqlite.$client
        .prepare("select s.title from briefing_search s join briefing_search_keys k on s.rowid = k.search_rowid where k.briefing_id = ?")
        .pluck()
        .all(id),
    };
    const t = pgSchema;
    const p = {
      quotes: await pgdb.select().from(t.quotes).where(eq(t.quotes.briefingId, id)).orderBy(asc(t.quotes.blockId)),
      topics: await pgdb.select().from(t.agendaTopics).where(eq(t.agendaTopics.briefingId, id)).orderBy(asc(t.agendaTopics.blockId)),
      facts: await pgdb.select().from(t.countryFacts).where(eq(t.countryFacts.briefingId, id)).orderBy(asc(t.countryFacts.blockId)),
      text: await pgdb.select({ body: t.briefingTexts.body }).from(t.briefingTexts).where(eq(t.briefingTexts.briefingId, id)),
      marks: await pgdb.select({ marks: t.briefings.portionMarks }).from(t.briefings).where(eq(t.briefings.id, id)),
      searchTitle: (await pgdb.select({ title: t.briefingSearch.title }).from(t.briefingSearch).where(eq(t.briefingSearch.briefingId, id))).map((r) => r.title),
    };
    return { sqlite: s, pg: p };
  }

  /** Writes through both and checks that the results (but the time) and every row agree. */
  async function writeBoth(projection: Projection) {
    const onSqlite = writeProjectionRows(sqlite.$client, ID, projection);
    const onPg = await writeProjectionRowsPg(pgdb, ID, projection);
    expect(onPg).not.toBeNull();
    const { lockMs: _s, ...s } = onSqlite!;
    const { lockMs: _p, ...p } = onPg!;
    expect(p).toEqual(s);
    const rows = await rowsOf(ID);
    expect(rows.pg).toEqual(rows.sqlite);
    return { result: p, rows: rows.pg };
  }

  const seeded = projectionOfState(buildSeedDocument(readSampleArticle()));

  it("the seeded brief: the same quotes, topics, facts, text, marks and search title", async () => {
    expect(seeded.quotes.length).toBeGreaterThan(0);
    expect(seeded.topics.length).toBeGreaterThan(0);
    const { result, rows } = await writeBoth(seeded);
    expect(result).toMatchObject({ quotes: seeded.quotes.length, topics: seeded.topics.length, searchUpdated: true });
    expect(result.rowsWritten).toBe(seeded.quotes.length + seeded.topics.length + seeded.facts.length);
    expect(rows.quotes.map((q) => q.teamId)).toEqual(seeded.quotes.map(() => TEAM_ID));
    expect(rows.text).toEqual([{ body: seeded.text }]);
    expect(rows.searchTitle).toEqual([ID]);
    // The PostgreSQL search row finds the brief by a speaker's name typed without diacritics.
    expect((await searchBriefingsPg(pgdb, TEAM_ID, "Cavusoglu")).map((h) => h.briefingId)).toEqual([ID]);
  });

  it("the same projection again writes nothing on either", async () => {
    const { result } = await writeBoth(seeded);
    expect(result).toMatchObject({ rowsWritten: 0, searchUpdated: false });
  });

  it("an edited projection: the same upserts and deletes, marks and text on both", async () => {
    const [, ...quotes] = seeded.quotes;
    const edited: Projection = {
      ...seeded,
      quotes,
      topics: seeded.topics.map((t, i) => (i === 0 ? { ...t, title: "Regional security and transit" } : t)),
      facts: [...seeded.facts, { blockId: "fact-new", position: 99, country: "KZ", label: "GDP", value: "262", unit: "bn USD", asOf: "2026-01-01", source: "IMF", libraryFactId: null }],
      text: `${seeded.text}\nA closing paragraph.`,
      marks: ["CONFIDENTIAL", "RESTRICTED"],
    };
    const { result, rows } = await writeBoth(edited);
    expect(result).toMatchObject({ rowsWritten: 3, searchUpdated: true });
    expect(rows.marks).toEqual([{ marks: ["CONFIDENTIAL", "RESTRICTED"] }]);
    expect(rows.quotes.map((q) => q.blockId)).not.toContain(seeded.quotes[0].blockId);

    // A rename re-indexes the search row on the next projection even when no block changed.
    sqlite.$client.prepare("update briefings set title = ? where id = ?").run("Ankara summit, renamed", ID);
    await pgdb.$client.query("update briefings set title = $1 where id = $2", ["Ankara summit, renamed", ID]);
    const renamed = await writeBoth(edited);
    expect(renamed.result).toMatchObject({ rowsWritten: 0, searchUpdated: true });
    expect(renamed.rows.searchTitle).toEqual(["Ankara summit, renamed"]);
  });

  it("a briefing that does not exist: nothing written, null on both", async () => {
    expect(writeProjectionRows(sqlite.$client, "no-such-briefing", seeded)).toBeNull();
    expect(await writeProjectionRowsPg(pgdb, "no-such-briefing", seeded)).toBeNull();
    expect((await rowsOf("no-such-briefing")).pg.quotes).toEqual([]);
  });
});
