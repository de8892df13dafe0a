import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { searchBriefings } from "../../db/queries/blocks";
import { exec, first, rows as sqlRows, type Store } from "../../db/store";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID, seedDemo } from "../seed/demo";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { testDialects, type TestStore } from "../../test/helpers/stores";
import { openDocumentStore } from "./document-stores";
import { writeProjectionRowsPg } from "./pg-projection-store";
import { documentContent, extractProjection, indexBriefingTitle, listUnprojectedBriefings, projectBriefing, removeFromSearch } from "./projection";

const p = (text: string) => ({ type: "paragraph", content: [{ type: "text", text }] });
const quote = (blockId: string, speaker: string, words: string, country = "TR") => ({
  type: "quote",
  attrs: { blockId, speaker, country, lang: "en" },
  content: [{ type: "text", text: words }],
});
const topic = (blockId: string, title: string, ...content: object[]) => ({ type: "agendaTopic", attrs: { blockId, title, status: "agreed" }, content });
const fact = (blockId: string, label: string, value: string) => ({ type: "countryFact", attrs: { blockId, country: "KZ", label, value, asOf: "2026-01-01", libraryFactId: "" } });
const ydoc = (...content: object[]) => prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content }, COLLAB_FIELD);

describe("projection text", () => {
  it("extracts text with block attributes spelled out", () => {
    const projection = extractProjection({ type: "doc", content: [fact("f", "Foreign minister", "Mukhtar Tleuberdi"), quote("q", "Çavuşoğlu", "Words")] });
    expect(projection.text).toBe("Kazakhstan: Foreign minister: Mukhtar Tleuberdi (as of 2026-01-01)\n“Words” — Çavuşoğlu (Türkiye)");
  });
});

/**
 * The projection of a briefing body and the search over it, on a seeded SQLite file and a seeded
 * PostgreSQL database (ADR 0111): each writes through its dialect's statements, as the projection
 * thread does (projection-store.ts, pg-projection-store.ts), and reads back through the Store.
 */
for (const dialect of testDialects()) {
  describe.skipIf(!dialect.available)(`projection of a briefing body on ${dialect.name}`, () => {
    let ts: TestStore;
    let store: Store;
    beforeAll(async () => {
      ts = await dialect.open();
      store = ts.store;
      await seedDemo(store, openDocumentStore(store));
    });
    afterAll(async () => ts?.close());

    const search = (q: string) => searchBriefings(store, DEMO_TEAM_ID, q);
    /** What the projection thread writes for `doc`, through the statements of the store's dialect. */
    const projectBriefingOn = (briefingId: string, doc: Y.Doc) =>
      store.dialect === "pg" ? writeProjectionRowsPg(store.db, briefingId, extractProjection(documentContent(doc))) : Promise.resolve(projectBriefing(store.db, briefingId, doc));

    async function seededDoc(): Promise<Y.Doc> {
      const row = first(await exec(store, (db, t) => db.select().from(t.documentSnapshots).where(eq(t.documentSnapshots.briefingId, DEMO_BRIEFING_ID))))!;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, row.state);
      return doc;
    }
    const rows = async (briefingId: string) => ({
      quotes: await exec(store, (db, t) => db.select().from(t.quotes).where(eq(t.quotes.briefingId, briefingId))),
      topics: await exec(store, (db, t) => db.select().from(t.agendaTopics).where(eq(t.agendaTopics.briefingId, briefingId))),
      facts: await exec(store, (db, t) => db.select().from(t.countryFacts).where(eq(t.countryFacts.briefingId, briefingId))),
    });

    async function newBriefing(id: string, title = "Astana follow-up") {
      const now = new Date();
      await exec(store, (db, t) =>
        db.insert(t.briefings).values({ id, teamId: DEMO_TEAM_ID, title, summitName: "S", city: "Astana", startDate: "2026-12-01", endDate: "2026-12-02", classification: "RESTRICTED", createdAt: now, updatedAt: now, lastEditedAt: now }),
      );
    }

    it("projects the seeded briefing: every quote, topic and fact, the text and the search row", async () => {
      expect(await listUnprojectedBriefings(store)).toContain(DEMO_BRIEFING_ID);
      const result = (await projectBriefingOn(DEMO_BRIEFING_ID, await seededDoc()))!;
      expect(result).toMatchObject({ quotes: 2, topics: 6, skipped: 0, searchUpdated: true });
      expect(await listUnprojectedBriefings(store)).not.toContain(DEMO_BRIEFING_ID);
      const r = await rows(DEMO_BRIEFING_ID);
      expect(r.quotes.sort((a, b) => a.position - b.position).map((q) => [q.blockId, q.speaker, q.teamId, q.position])).toEqual([
        ["quote-tleuberdi", "Mukhtar Tleuberdi", DEMO_TEAM_ID, 1],
        ["quote-cavusoglu", "Mevlüt Çavuşoğlu", DEMO_TEAM_ID, 2],
      ]);
      expect(r.quotes[1].text).toBe("We have always supported our brothers’ independent policy.");
      expect(r.topics.sort((a, b) => a.number - b.number).map((t) => `${t.number}. ${t.title}`)[0]).toBe("1. Regional security");
      expect(r.topics.find((t) => t.blockId === "topic-tourism")).toMatchObject({ number: 6, status: "agreed", priority: "low", owner: "Emre Yıldız" });
      expect(r.topics.find((t) => t.blockId === "topic-tourism")!.body).toContain("Istanbul and Antalya");
      expect(r.facts.find((f) => f.blockId === "fact-hu-turkic")).toMatchObject({ country: "HU", value: "observer", libraryFactId: "demo-fact-hu-turkic" });
      const text = first(await exec(store, (db, t) => db.select().from(t.briefingTexts).where(eq(t.briefingTexts.briefingId, DEMO_BRIEFING_ID))))!.body;
      expect(text).toContain("Regional security");
      expect(text).toContain("Mevlüt Çavuşoğlu");
      expect((await search("Cavusoglu")).map((h) => h.briefingId)).toEqual([DEMO_BRIEFING_ID]);
    });

    it("does not rewrite the search index when nothing searchable changed", async () => {
      expect((await projectBriefingOn(DEMO_BRIEFING_ID, await seededDoc()))!.searchUpdated).toBe(false);
    });

    it("upserts changed blocks, keeps unchanged ones and deletes removed ones", async () => {
      await newBriefing("proj-1");
      await projectBriefingOn("proj-1", ydoc(p("Intro"), quote("q1", "Tleuberdi", "First"), topic("t1", "Trade", p("grow")), fact("f1", "Capital", "Astana")));
      expect((await rows("proj-1")).quotes.map((q) => q.text)).toEqual(["First"]);

      await projectBriefingOn("proj-1", ydoc(topic("t0", "Security", p("new")), topic("t1", "Trade (revised)", p("grow more")), quote("q1", "Tleuberdi", "Edited"), quote("q2", "Çavuşoğlu", "Second")));
      const r = await rows("proj-1");
      expect(r.quotes.map((q) => [q.blockId, q.text, q.position]).sort()).toEqual([
        ["q1", "Edited", 1],
        ["q2", "Second", 2],
      ]);
      expect(r.topics.map((t) => [t.blockId, t.number, t.title, t.body]).sort()).toEqual([
        ["t0", 1, "Security", "new"],
        ["t1", 2, "Trade (revised)", "grow more"],
      ]);
      expect(r.facts).toEqual([]);

      await projectBriefingOn("proj-1", ydoc(p("nothing left")));
      expect(await rows("proj-1")).toEqual({ quotes: [], topics: [], facts: [] });
      expect((await search("nothing left")).map((h) => h.briefingId)).toEqual(["proj-1"]);
      expect(await search("Edited")).toEqual([]);
    });

    it("finds Turkish dotless ı and dotted İ words when typed with plain i", async () => {
      await newBriefing("proj-tr");
      await projectBriefingOn("proj-tr", ydoc(p("Görüşmeye Emre Yıldız ve İstanbul heyeti katılacak.")));
      for (const q of ["Yildiz", "yıldız", "Istanbul", "istanbul", "İstanbul"]) {
        expect((await search(q)).map((h) => h.briefingId), q).toContain("proj-tr");
      }
      expect((await search("Yildiz"))[0].snippet).toContain("Yıldız");
    });

    it("skips blocks with a missing or repeated id instead of failing", async () => {
      await newBriefing("proj-2");
      const result = (await projectBriefingOn("proj-2", ydoc(quote("dup", "A", "one"), quote("dup", "B", "two"), quote("", "C", "three"))))!;
      expect(result).toMatchObject({ quotes: 1, skipped: 2 });
      expect((await rows("proj-2")).quotes.map((q) => q.speaker)).toEqual(["A"]);
    });

    it("writes nothing for a briefing that no longer exists", async () => {
      expect(await projectBriefingOn("no-such-briefing", ydoc(quote("q", "A", "x")))).toBeNull();
      expect(await sqlRows(store, sql`select * from briefing_search where briefing_id = 'no-such-briefing'`)).toEqual([]);
    });

    it("keeps the search title in step with renames and forgets deleted briefings", async () => {
      await newBriefing("proj-3", "Baku energy talks");
      await indexBriefingTitle(store, "proj-3", "Baku energy talks");
      expect((await search("baku")).map((h) => h.briefingId)).toEqual(["proj-3"]);
      await exec(store, (db, t) => db.update(t.briefings).set({ title: "Bişkek water talks" }).where(eq(t.briefings.id, "proj-3")));
      await indexBriefingTitle(store, "proj-3", "Bişkek water talks");
      expect(await search("baku")).toEqual([]);
      expect(await search("bishkek")).toEqual([]);
      expect((await search("biskek")).map((h) => h.briefingId)).toEqual(["proj-3"]);
      await removeFromSearch(store, "proj-3");
      expect(await search("biskek")).toEqual([]);
    });
  });
}
