// SQLite only: FTS5 rows keyed by rowid, SQLite's query plans and migration 0009 of the SQLite history (PostgreSQL: test/db/pg-search.test.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { searchBriefings } from "../../db/queries/blocks";
import { briefings, teams } from "../../db/schema";
import { openSqliteStore } from "../../db/store";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { indexBriefingTitle, projectBriefing, removeFromSearch } from "../../server/persistence/projection";

/**
 * Search rows are keyed by briefing (migration 0009, server/persistence/search-rows.ts): a
 * projection finds and replaces its briefing's FTS row by rowid, whatever else is stored.
 */

const MIGRATIONS = path.resolve(__dirname, "../../db/migrations");
const TEAM = "team-search-rows";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-search-rows-"));
  dirs.push(dir);
  return dir;
}

/** A database migrated only up to `lastTag` (what a server from before 0009 left behind). */
/** A database migrated up to the migration just before `tag`. */
function databaseBefore(tag: string): Db {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  return databaseUpTo(journal.entries[at - 1].tag);
}

function databaseUpTo(lastTag: string): Db {
  const dir = tempDir();
  const folder = path.join(dir, "migrations");
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag === lastTag);
  expect(upTo).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, upTo + 1);
  for (const e of journal.entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  const db = openDatabase(path.join(dir, "db.sqlite"));
  migrate(db, { migrationsFolder: folder });
  return db;
}

function addBriefings(db: Db, ids: string[]): void {
  const now = new Date();
  if (!db.select().from(teams).all().length) db.insert(teams).values({ id: TEAM, name: "Desk", createdAt: now }).run();
  db.transaction((tx) => {
    for (const id of ids) {
      tx.insert(briefings)
        .values({ id, teamId: TEAM, title: `Briefing ${id}`, summitName: "S", city: "Astana", startDate: "2026-12-01", endDate: "2026-12-02", classification: "RESTRICTED", createdAt: now, updatedAt: now, lastEditedAt: now })
        .run();
    }
  });
}

const doc = (text: string) => prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] }, COLLAB_FIELD);
const rowsOf = (db: Db, id: string) => db.$client.prepare("select rowid, title, body from briefing_search where briefing_id = ?").all(id) as { rowid: number; title: string; body: string }[];
const count = (db: Db, table: string) => (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const hits = async (db: Db, q: string) => (await searchBriefings(openSqliteStore(db), TEAM, q, 1000)).map((h) => h.briefingId);

describe("search rows keyed by briefing", () => {
  it("replaces exactly the right row among many briefings, and keeps one row per briefing", async () => {
    const db = openDatabase(path.join(tempDir(), "db.sqlite"));
    migrateDatabase(db);
    const ids = Array.from({ length: 400 }, (_, i) => `sr-${String(i).padStart(4, "0")}`);
    addBriefings(db, ids);
    for (const id of ids) projectBriefing(db, id, doc(`Body of ${id} about the Caspian pipeline`));
    expect(count(db, "briefing_search")).toBe(400);

    // Re-project briefings spread over the index, twice each, with new text.
    const edited = [ids[0], ids[137], ids[399]];
    for (const round of ["first", "second"]) {
      for (const id of edited) expect(projectBriefing(db, id, doc(`${round} rewrite of ${id}: Çavuşoğlu met Yıldız`))!.searchUpdated).toBe(true);
    }
    expect(count(db, "briefing_search")).toBe(400);
    expect(count(db, "briefing_search_keys")).toBe(400);
    for (const id of edited) {
      const rows = rowsOf(db, id);
      expect(rows).toHaveLength(1);
      expect(rows[0].body).toContain(`second rewrite of ${id}`);
    }
    // Untouched neighbours keep their own text; search sees the new text with its Turkish folds.
    expect(rowsOf(db, ids[138])[0].body).toBe(`Body of ${ids[138]} about the Caspian pipeline`);
    expect((await hits(db, "Cavusoglu")).sort()).toEqual([...edited].sort());
    expect((await hits(db, "Yildiz")).sort()).toEqual([...edited].sort());
    expect(await hits(db, "first rewrite")).toEqual([]);
    expect(await hits(db, "Caspian pipeline")).toHaveLength(397);

    // A rename between projections rewrites the same row; the next projection keeps it.
    db.$client.prepare("update briefings set title = ? where id = ?").run("İzmir ports", ids[137]);
    await indexBriefingTitle(openSqliteStore(db), ids[137], "İzmir ports");
    const rowid = rowsOf(db, ids[137])[0].rowid;
    projectBriefing(db, ids[137], doc("third text"));
    expect(rowsOf(db, ids[137])).toEqual([{ rowid, title: "İzmir ports", body: "third text" }]);
    expect(await hits(db, "izmir")).toEqual([ids[137]]);

    await removeFromSearch(openSqliteStore(db), ids[0]);
    expect(rowsOf(db, ids[0])).toEqual([]);
    expect(count(db, "briefing_search_keys")).toBe(399);
    db.$client.close();
  });

  it("looks a briefing's row up through the key's index, not by scanning the search table", () => {
    const db = openDatabase(path.join(tempDir(), "db.sqlite"));
    migrateDatabase(db);
    const plan = (sql: string) => (db.$client.prepare(`explain query plan ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join("; ");
    expect(plan("select search_rowid from briefing_search_keys where briefing_id = 'x'")).toMatch(/SEARCH .*briefing_search_keys USING (COVERING )?INDEX/);
    expect(plan("select title from briefing_search where rowid = 1")).toMatch(/VIRTUAL TABLE INDEX 0:=|rowid/i);
    db.$client.close();
  });

  it("deleting a briefing removes its search row and key", async () => {
    const db = openDatabase(path.join(tempDir(), "db.sqlite"));
    migrateDatabase(db);
    addBriefings(db, ["del-1", "del-2"]);
    projectBriefing(db, "del-1", doc("Aral sea water"));
    projectBriefing(db, "del-2", doc("Aral sea fisheries"));
    db.$client.prepare("delete from briefings where id = ?").run("del-1");
    expect(rowsOf(db, "del-1")).toEqual([]);
    expect(count(db, "briefing_search_keys")).toBe(1);
    expect(await hits(db, "Aral")).toEqual(["del-2"]);
    db.$client.close();
  });

  it("migration 0009 keys the existing rows, drops duplicates and orphans, and search still works", async () => {
    const db = databaseBefore("0009_search_row_keys");
    addBriefings(db, ["old-1", "old-2", "old-3"]);
    const insert = db.$client.prepare("insert into briefing_search (briefing_id, title, body) values (?, ?, ?)");
    insert.run("old-1", "Briefing old-1", "Ankara summit notes\nYildiz");
    insert.run("old-2", "Briefing old-2", "stale copy from a lost race");
    insert.run("old-2", "Briefing old-2", "Tashkent transport corridor");
    insert.run("gone", "Deleted briefing", "Ankara leftovers");
    const before = db.$client.prepare("select rowid, briefing_id as id from briefing_search").all() as { rowid: number; id: string }[];

    migrateDatabase(db);
    const keys = db.$client.prepare("select briefing_id as id, search_rowid as rowid from briefing_search_keys order by briefing_id").all();
    expect(keys).toEqual([
      { id: "old-1", rowid: before.find((r) => r.id === "old-1")!.rowid },
      { id: "old-2", rowid: before.find((r) => r.id === "old-2")!.rowid },
    ]);
    expect(count(db, "briefing_search")).toBe(2);
    expect(await hits(db, "Ankara")).toEqual(["old-1"]);
    expect(await hits(db, "Yildiz")).toEqual(["old-1"]);

    // After the migration a projection replaces the keyed row in place, and a new briefing gets a key.
    projectBriefing(db, "old-2", doc("Tashkent rail corridor, revised"));
    expect(rowsOf(db, "old-2").map((r) => r.body)).toEqual(["Tashkent rail corridor, revised"]);
    projectBriefing(db, "old-3", doc("Almaty water"));
    expect(await hits(db, "corridor")).toEqual(["old-2"]);
    expect(await hits(db, "Almaty")).toEqual(["old-3"]);
    expect(count(db, "briefing_search_keys")).toBe(3);
    db.$client.close();
  });
});
