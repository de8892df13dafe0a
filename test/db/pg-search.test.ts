import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATCH_END, MATCH_START } from "../../db/queries/blocks";
import { openPostgres, type PgDb } from "../../db/pg/client";
import { migratePostgres } from "../../db/pg/migrate";
import { briefings, teams } from "../../db/pg/schema";
import { replaceSearchRowPg, searchBriefingsPg } from "../../db/dialect/pg/search";
import { createPostgresDatabase, postgresAvailable, type TestPostgres } from "../helpers/postgres";

const hasPostgres = postgresAvailable();

/** Full-text search on a real PostgreSQL (a C-locale cluster, so no folding comes from the locale). */
describe.skipIf(!hasPostgres)("PostgreSQL full-text search", () => {
  let pg: TestPostgres;
  let db: PgDb;

  const now = new Date("2026-11-30T10:00:00.000Z");
  const briefing = (id: string, teamId: string, title: string, archived = false) => ({
    id,
    teamId,
    title,
    summitName: "Summit",
    city: "Ankara",
    startDate: "2026-12-01",
    endDate: "2026-12-02",
    classification: "UNCLASSIFIED",
    createdAt: now,
    updatedAt: now,
    lastEditedAt: now,
    archivedAt: archived ? now : null,
  });

  beforeAll(async () => {
    pg = await createPostgresDatabase();
    await migratePostgres(pg.url);
    db = openPostgres(pg.url);
    await db.insert(teams).values([
      { id: "t1", name: "Desk", createdAt: now },
      { id: "t2", name: "Other desk", createdAt: now },
    ]);
    await db.insert(briefings).values([
      briefing("b-cavus", "t1", "Talks with Foreign Minister Çavuşoğlu"),
      briefing("b-ist", "t1", "Transit corridor"),
      briefing("b-caps", "t1", "Energy"),
      briefing("b-ilik", "t1", "Weather notes"),
      briefing("b-kz", "t1", "Қазақстан және Түркия"),
      briefing("b-other", "t2", "Çavuşoğlu visit, other team"),
      briefing("b-archived", "t1", "Çavuşoğlu, archived", true),
    ]);
    await replaceSearchRowPg(db, "b-cavus", "Talks with Foreign Minister Çavuşoğlu", "Mevlüt Çavuşoğlu will open the session.");
    await replaceSearchRowPg(db, "b-ist", "Transit corridor", "The delegation lands in İstanbul on Monday before the summit in Ankara.");
    await replaceSearchRowPg(db, "b-caps", "Energy", "PIPELINE TALKS IN ISTANBUL");
    await replaceSearchRowPg(db, "b-ilik", "Weather notes", "Ilık bir sonbahar günü; ILIK RÜZGAR.");
    await replaceSearchRowPg(db, "b-kz", "Қазақстан және Түркия", "Стратегиялық серіктестік");
    await replaceSearchRowPg(db, "b-other", "Çavuşoğlu visit, other team", "Çavuşoğlu");
    await replaceSearchRowPg(db, "b-archived", "Çavuşoğlu, archived", "Çavuşoğlu");
  });

  afterAll(async () => {
    await db?.$client.end();
    await pg?.drop();
  });

  const ids = async (q: string) => (await searchBriefingsPg(db, "t1", q)).map((h) => h.briefingId).sort();

  it("finds Çavuşoğlu typed as Cavusoglu, cavuşoğlu or a prefix, in the team's unarchived briefings only", async () => {
    expect(await ids("Cavusoglu")).toEqual(["b-cavus"]);
    expect(await ids("cavuşoğlu")).toEqual(["b-cavus"]);
    expect(await ids("ÇAVUŞOĞLU")).toEqual(["b-cavus"]);
    expect(await ids("Cavu")).toEqual(["b-cavus"]);
    const [hit] = await searchBriefingsPg(db, "t1", "Cavusoglu");
    // Highlights mark the original spelling, as FTS5's highlight() does on SQLite.
    expect(hit.titleHighlighted).toBe(`Talks with Foreign Minister ${MATCH_START}Çavuşoğlu${MATCH_END}`);
    expect(hit.snippet).toContain(`${MATCH_START}Çavuşoğlu${MATCH_END}`);
    expect(hit.status).toBe("draft");
  });

  it("treats İstanbul, ISTANBUL and istanbul as one word (Turkish dotted İ)", async () => {
    for (const q of ["İstanbul", "ISTANBUL", "istanbul", "Istanbul", "İSTANBUL"]) expect(await ids(q), q).toEqual(["b-caps", "b-ist"]);
  });

  it("treats ılık and ILIK as one word (Turkish dotless ı)", async () => {
    for (const q of ["ılık", "ILIK", "ilik", "Ilık"]) expect(await ids(q), q).toEqual(["b-ilik"]);
    const [hit] = await searchBriefingsPg(db, "t1", "ilik");
    expect(hit.snippet).toBe(`${MATCH_START}Ilık${MATCH_END} bir sonbahar günü; ${MATCH_START}ILIK${MATCH_END} RÜZGAR.`);
  });

  it("finds Kazakh Cyrillic words whatever their case", async () => {
    expect(await ids("қазақстан")).toEqual(["b-kz"]);
    expect(await ids("СТРАТЕГИЯЛЫҚ")).toEqual(["b-kz"]);
  });

  it("requires every word, ranks title matches first, and never fails on query syntax", async () => {
    expect(await ids("istanbul monday")).toEqual(["b-ist"]);
    expect(await ids("istanbul nowhere")).toEqual([]);
    expect(await ids("' & | ! :* ( ) <->")).toEqual([]);
    expect(await ids("corridor:* | energy")).toEqual([]);
    expect(await ids("")).toEqual([]);
    await replaceSearchRowPg(db, "b-caps", "Istanbul energy", "pipeline talks");
    const hits = await searchBriefingsPg(db, "t1", "istanbul");
    expect(hits.map((h) => h.briefingId)).toEqual(["b-caps", "b-ist"]);
  });

  it("replaces a row in place and loses it with its briefing", async () => {
    await replaceSearchRowPg(db, "b-ilik", "Weather notes", "Rain");
    expect(await ids("ilik")).toEqual([]);
    expect(await ids("rain")).toEqual(["b-ilik"]);
    await db.delete(briefings).where((await import("drizzle-orm")).eq(briefings.id, "b-ilik"));
    expect(await ids("rain")).toEqual([]);
  });
});
