// SQLite only: it replays the SQLite migration history from 0005, a schema PostgreSQL never had (its migrations start later).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openDatabase, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { openSqliteStore } from "../../db/store";
import { COLLAB_FIELD } from "../../extensions";
import { createHistoryEngine } from "../../server/history/engine";
import { renderState } from "../../server/history/rendered";
import { createVersionStore } from "../../server/history/version-store";
import { tempDir } from "../helpers/server";

const MIGRATIONS = fileURLToPath(new URL("../../db/migrations", import.meta.url));
const dbs: Db[] = [];
afterAll(() => dbs.forEach((db) => db.$client.close()));

/** A copy of the migrations folder whose journal stops at `lastIdx`: the schema as it was then. */
function migrationsUpTo(lastIdx: number): string {
  const dir = path.join(tempDir("migrations-"), "migrations");
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/** A document with a paragraph per line and a quote, as a final's snapshot stores it. */
function finalSnapshot(lines: string[], quote: string): Uint8Array {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment(COLLAB_FIELD);
  const blocks = lines.map((line) => {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(line)]);
    return p;
  });
  const q = new Y.XmlElement("quote");
  q.setAttribute("blockId", "q1");
  q.setAttribute("translation", `${quote} (translated)`);
  q.insert(0, [new Y.XmlText(quote)]);
  frag.insert(0, [...blocks, q]);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

const xmlOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const xml = doc.getXmlFragment(COLLAB_FIELD).toString();
  doc.destroy();
  return xml;
};

describe("migration of finals into the version history", () => {
  it("turns every final of a database at 0005 into a version with the same content", async () => {
    const db = openDatabase(path.join(tempDir(), "old.db"));
    dbs.push(db);
    migrate(db, { migrationsFolder: migrationsUpTo(5) });
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    expect(tables).toContain("briefing_versions");
    expect(tables).not.toContain("document_versions");

    const now = Date.UTC(2026, 10, 1);
    const sql = db.$client;
    sql.prepare("insert into teams (id, name, created_at) values ('t1', 'Desk', ?)").run(now);
    sql.prepare("insert into users (id, email, name, password_hash, color, created_at) values ('u1', 'a@example.test', 'Aigerim', 'x', '#123456', ?)").run(now);
    const briefing = sql.prepare(
      `insert into briefings (id, team_id, title, summit_name, city, start_date, end_date, classification, status, created_by, created_at, updated_at, last_edited_at)
       values (?, 't1', ?, 'Summit', 'Ankara', '2026-12-01', '2026-12-02', 'OFFICIAL', 'final', 'u1', ?, ?, ?)`,
    );
    briefing.run("b1", "Ankara", now, now, now);
    briefing.run("b2", "Astana", now, now, now);
    const finals = [
      { id: "v1", briefing: "b1", version: 1, state: finalSnapshot(["Opening remarks", "Transit corridors"], "Koridoru açacağız") },
      { id: "v2", briefing: "b1", version: 2, state: finalSnapshot(["Opening remarks, revised", "Transit corridors", "Energy"], "Koridoru yarın açacağız") },
      { id: "v3", briefing: "b2", version: 1, state: finalSnapshot(["Astana agenda"], "Birlikte") },
    ];
    const insertFinal = sql.prepare(
      "insert into briefing_versions (id, briefing_id, version, snapshot, content_hash, title, created_by, created_at) values (?, ?, ?, ?, 'hash', 'T', 'u1', ?)",
    );
    for (const f of finals) insertFinal.run(f.id, f.briefing, f.version, Buffer.from(f.state), now + f.version);

    // The real migrations from 0006 on, and the start-up checksum backfill, as a server start runs them.
    migrateDatabase(db);

    const store = createVersionStore(openSqliteStore(db), 50);
    const engine = createHistoryEngine(store, 16 * 1024 * 1024);
    for (const f of finals) {
      const info = await store.get(f.briefing, f.version);
      expect(info).toMatchObject({ kind: "final", finalVersion: f.version, authors: ["u1"], isFull: true });
      const state = (await store.state(f.briefing, f.version))!;
      expect(xmlOf(state)).toBe(xmlOf(f.state));
      // The rendered form a comparison reads has all of it: text, quote words and translation.
      expect(renderState(state)).toEqual(renderState(f.state));
    }
    expect((await store.list("b1")).map((v) => v.seq)).toEqual([2, 1]);
    // Two migrated finals compare. Each was its own full state, so no Yjs id is shared: blocks
    // without a blockId are replaced whole, and the quote, matched by its blockId at the same
    // position, is one changed block whose words and translation are diffed by characters.
    const cmp = (await engine.compare("b1", 1, 2, {}, null))!;
    const text = (op: string) => cmp.blocks.flatMap((b) => [...b.segments, ...b.parts.flatMap((p) => p.segments)]).filter((s) => s.op === op).map((s) => s.text).join("|");
    expect(text("ins")).toContain("Energy");
    expect(text("del")).toContain("Opening remarks");
    expect(cmp.blocks.some((b) => b.change === "moved")).toBe(false);
    const quote = cmp.blocks.find((b) => b.type === "quote")!;
    expect(quote).toMatchObject({ change: "changed" });
    expect(quote.move).toBeUndefined();
    const ins = (segments: { op: string; text: string }[]) => segments.filter((s) => s.op === "ins").map((s) => s.text.trim());
    expect(ins(quote.segments)).toEqual(["yarın"]);
    expect(quote.segments.filter((s) => s.op !== "del").map((s) => s.text).join("")).toBe("Koridoru yarın açacağız");
    expect(ins(quote.parts.flatMap((p) => p.segments))).toEqual(["yarın"]);
  });
});
