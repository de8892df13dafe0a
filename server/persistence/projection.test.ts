import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Db } from "../../db/client";
import { searchBriefings } from "../../db/queries/blocks";
import { openSqliteStore } from "../../db/store";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID } from "../seed/demo";
import { agendaTopics, briefings, briefingTexts, countryFacts, documentSnapshots, quotes } from "../../db/schema";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { seededTempDatabase } from "../../test/blocks/temp-db";
import { extractProjection, indexBriefingTitle, listUnprojectedBriefings, projectBriefing, removeFromSearch } from "./projection";

let db: Db;
let dispose: () => void;
beforeAll(async () => ({ db, dispose } = await seededTempDatabase()));
afterAll(() => dispose?.());

const p = (text: string) => ({ type: "paragraph", content: [{ type: "text", text }] });
const quote = (blockId: string, speaker: string, words: string, country = "TR") => ({
  type: "quote",
  attrs: { blockId, speaker, country, lang: "en" },
  content: [{ type: "text", text: words }],
});
const topic = (blockId: string, title: string, ...content: object[]) => ({ type: "agendaTopic", attrs: { blockId, title, status: "agreed" }, content });
const fact = (blockId: string, label: string, value: string) => ({ type: "countryFact", attrs: { blockId, country: "KZ", label, value, asOf: "2026-01-01", libraryFactId: "" } });
const search = (q: string) => searchBriefings(openSqliteStore(db), DEMO_TEAM_ID, q);
const ydoc = (...content: object[]) => prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content }, COLLAB_FIELD);

function seededDoc(): Y.Doc {
  const row = db.select().from(documentSnapshots).where(eq(documentSnapshots.briefingId, DEMO_BRIEFING_ID)).get()!;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, row.state);
  return doc;
}
const rows = (briefingId: string) => ({
  quotes: db.select().from(quotes).where(eq(quotes.briefingId, briefingId)).all(),
  topics: db.select().from(agendaTopics).where(eq(agendaTopics.briefingId, briefingId)).all(),
  facts: db.select().from(countryFacts).where(eq(countryFacts.briefingId, briefingId)).all(),
});

function newBriefing(id: string, title = "Astana follow-up") {
  const now = new Date();
  db.insert(briefings)
    .values({ id, teamId: DEMO_TEAM_ID, title, summitName: "S", city: "Astana", startDate: "2026-12-01", endDate: "2026-12-02", classification: "RESTRICTED", createdAt: now, updatedAt: now, lastEditedAt: now })
    .run();
}

describe("projection of a briefing body", () => {
  it("projects the seeded briefing: every quote, topic and fact, the text and the search row", async () => {
    expect(await listUnprojectedBriefings(openSqliteStore(db))).toContain(DEMO_BRIEFING_ID);
    const result = projectBriefing(db, DEMO_BRIEFING_ID, seededDoc())!;
    expect(result).toMatchObject({ quotes: 2, topics: 6, skipped: 0, searchUpdated: true });
    expect(await listUnprojectedBriefings(openSqliteStore(db))).not.toContain(DEMO_BRIEFING_ID);
    const r = rows(DEMO_BRIEFING_ID);
    expect(r.quotes.sort((a, b) => a.position - b.position).map((q) => [q.blockId, q.speaker, q.teamId, q.position])).toEqual([
      ["quote-tleuberdi", "Mukhtar Tleuberdi", DEMO_TEAM_ID, 1],
      ["quote-cavusoglu", "Mevlüt Çavuşoğlu", DEMO_TEAM_ID, 2],
    ]);
    expect(r.quotes[1].text).toBe("We have always supported our brothers’ independent policy.");
    expect(r.topics.sort((a, b) => a.number - b.number).map((t) => `${t.number}. ${t.title}`)[0]).toBe("1. Regional security");
    expect(r.topics.find((t) => t.blockId === "topic-tourism")).toMatchObject({ number: 6, status: "agreed", priority: "low", owner: "Emre Yıldız" });
    expect(r.topics.find((t) => t.blockId === "topic-tourism")!.body).toContain("Istanbul and Antalya");
    expect(r.facts.find((f) => f.blockId === "fact-hu-turkic")).toMatchObject({ country: "HU", value: "observer", libraryFactId: "demo-fact-hu-turkic" });
    const text = db.select().from(briefingTexts).where(eq(briefingTexts.briefingId, DEMO_BRIEFING_ID)).get()!.body;
    expect(text).toContain("Regional security");
    expect(text).toContain("Mevlüt Çavuşoğlu");
    expect((await search("Cavusoglu")).map((h) => h.briefingId)).toEqual([DEMO_BRIEFING_ID]);
  });

  it("does not rewrite the search index when nothing searchable changed", () => {
    expect(projectBriefing(db, DEMO_BRIEFING_ID, seededDoc())!.searchUpdated).toBe(false);
  });

  it("upserts changed blocks, keeps unchanged ones and deletes removed ones", async () => {
    newBriefing("proj-1");
    projectBriefing(db, "proj-1", ydoc(p("Intro"), quote("q1", "Tleuberdi", "First"), topic("t1", "Trade", p("grow")), fact("f1", "Capital", "Astana")));
    expect(rows("proj-1").quotes.map((q) => q.text)).toEqual(["First"]);

    projectBriefing(db, "proj-1", ydoc(topic("t0", "Security", p("new")), topic("t1", "Trade (revised)", p("grow more")), quote("q1", "Tleuberdi", "Edited"), quote("q2", "Çavuşoğlu", "Second")));
    const r = rows("proj-1");
    expect(r.quotes.map((q) => [q.blockId, q.text, q.position]).sort()).toEqual([
      ["q1", "Edited", 1],
      ["q2", "Second", 2],
    ]);
    expect(r.topics.map((t) => [t.blockId, t.number, t.title, t.body]).sort()).toEqual([
      ["t0", 1, "Security", "new"],
      ["t1", 2, "Trade (revised)", "grow more"],
    ]);
    expect(r.facts).toEqual([]);

    projectBriefing(db, "proj-1", ydoc(p("nothing left")));
    expect(rows("proj-1")).toEqual({ quotes: [], topics: [], facts: [] });
    expect((await search("nothing left")).map((h) => h.briefingId)).toEqual(["proj-1"]);
    expect(await search("Edited")).toEqual([]);
  });

  it("finds Turkish dotless ı and dotted İ words when typed with plain i", async () => {
    newBriefing("proj-tr");
    projectBriefing(db, "proj-tr", ydoc(p("Görüşmeye Emre Yıldız ve İstanbul heyeti katılacak.")));
    for (const q of ["Yildiz", "yıldız", "Istanbul", "istanbul", "İstanbul"]) {
      expect((await search(q)).map((h) => h.briefingId), q).toContain("proj-tr");
    }
    expect((await search("Yildiz"))[0].snippet).toContain("Yıldız");
  });

  it("skips blocks with a missing or repeated id instead of failing", () => {
    newBriefing("proj-2");
    const result = projectBriefing(db, "proj-2", ydoc(quote("dup", "A", "one"), quote("dup", "B", "two"), quote("", "C", "three")))!;
    expect(result).toMatchObject({ quotes: 1, skipped: 2 });
    expect(rows("proj-2").quotes.map((q) => q.speaker)).toEqual(["A"]);
  });

  it("writes nothing for a briefing that no longer exists", () => {
    expect(projectBriefing(db, "no-such-briefing", ydoc(quote("q", "A", "x")))).toBeNull();
    expect(db.all(sql`select * from briefing_search where briefing_id = 'no-such-briefing'`)).toEqual([]);
  });

  it("keeps the search title in step with renames and forgets deleted briefings", async () => {
    newBriefing("proj-3", "Baku energy talks");
    await indexBriefingTitle(openSqliteStore(db), "proj-3", "Baku energy talks");
    expect((await search("baku")).map((h) => h.briefingId)).toEqual(["proj-3"]);
    db.update(briefings).set({ title: "Bişkek water talks" }).where(eq(briefings.id, "proj-3")).run();
    await indexBriefingTitle(openSqliteStore(db), "proj-3", "Bişkek water talks");
    expect(await search("baku")).toEqual([]);
    expect(await search("bishkek")).toEqual([]);
    expect((await search("biskek")).map((h) => h.briefingId)).toEqual(["proj-3"]);
    await removeFromSearch(openSqliteStore(db), "proj-3");
    expect(await search("biskek")).toEqual([]);
  });

  it("extracts text with block attributes spelled out", () => {
    const projection = extractProjection({ type: "doc", content: [fact("f", "Foreign minister", "Mukhtar Tleuberdi"), quote("q", "Çavuşoğlu", "Words")] });
    expect(projection.text).toBe("Kazakhstan: Foreign minister: Mukhtar Tleuberdi (as of 2026-01-01)\n“Words” — Çavuşoğlu (Türkiye)");
  });
});
