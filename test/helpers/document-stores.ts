import path from "node:path";
import pg from "pg";
import { openDatabase, schema, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { openPostgres, pgSchema, type PgDb } from "../../db/pg/client";
import { migratePostgres } from "../../db/pg/migrate";
import type { StoredDocumentCorruptError } from "../../server/persistence/corruption";
import { createSqliteDocumentStore, type DocumentStore } from "../../server/persistence/document-store";
import { createPgDocumentStore } from "../../server/persistence/pg-document-store";
import { createPostgresDatabase, type TestPostgres } from "./postgres";
import { tempDir } from "./server";

/** A stored row as the database holds it, read around the store (numbers, whatever the dialect). */
export interface RawRow {
  id: number;
  bytes: Buffer;
  checksum: number | null;
}

/**
 * One document store on a real database, with the few statements a test needs to look at or damage
 * its rows directly. The SQLite and PostgreSQL halves answer the same questions the same way, so one
 * contract test runs on both.
 */
export interface StoreHarness {
  dialect: "sqlite" | "pg";
  store: DocumentStore;
  /** Every refusal the store reported through onCorrupt. */
  refused: StoredDocumentCorruptError[];
  /** A new briefing with no stored document; a user to credit edits to is `USER_ID`. */
  newBriefing(): Promise<string>;
  deleteBriefing(id: string): Promise<void>;
  logRows(id: string): Promise<RawRow[]>;
  snapshot(id: string): Promise<(RawRow & { lastUpdateId: number }) | undefined>;
  briefing(id: string): Promise<{ hasContent: boolean; lastEditedBy: string | null; lastEditedAt: number }>;
  setLogBytes(rowId: number, bytes: Buffer): Promise<void>;
  setSnapshotChecksum(id: string, checksum: number | null): Promise<void>;
  deleteRows(id: string): Promise<void>;
  close(): Promise<void>;
}

export const TEAM_ID = "team-store";
export const USER_ID = "user-store";
const now = new Date("2026-12-01T09:00:00.000Z");
let briefings = 0;

const team = { id: TEAM_ID, name: "Store desk", createdAt: now };
const user = { id: USER_ID, email: "store@example.test", name: "Store User", passwordHash: "x", color: "#123456", createdAt: now };
const briefingRow = (id: string) => ({
  id,
  teamId: TEAM_ID,
  title: id,
  summitName: "Summit",
  city: "Ankara",
  startDate: "2027-01-01",
  endDate: "2027-01-02",
  classification: "UNCLASSIFIED",
  createdAt: now,
  updatedAt: now,
  lastEditedAt: now,
});

/** A migrated SQLite file with the team and user. */
export function sqliteDatabase(): Db {
  const db: Db = openDatabase(path.join(tempDir(), "contract.db"));
  migrateDatabase(db);
  db.insert(schema.teams).values(team).run();
  db.insert(schema.users).values(user).run();
  return db;
}

export function insertSqliteBriefing(db: Db, id = `b-${++briefings}`): string {
  db.insert(schema.briefings).values(briefingRow(id)).run();
  return id;
}

/** The SQLite store on a migrated file, `shared` as it runs beside other instances (0109). */
export function sqliteHarness(): StoreHarness {
  const db = sqliteDatabase();
  const refused: StoredDocumentCorruptError[] = [];
  const s = db.$client;
  return {
    dialect: "sqlite",
    store: createSqliteDocumentStore(db, { shared: true, onCorrupt: (e) => refused.push(e) }),
    refused,
    newBriefing: async () => insertSqliteBriefing(db),
    async deleteBriefing(id) {
      s.prepare("delete from briefings where id = ?").run(id);
    },
    async logRows(id) {
      return s.prepare('select id, "update" as bytes, checksum from document_updates where briefing_id = ? order by id').all(id) as RawRow[];
    },
    async snapshot(id) {
      return s.prepare("select 0 as id, state as bytes, checksum, last_update_id as lastUpdateId from document_snapshots where briefing_id = ?").get(id) as
        | (RawRow & { lastUpdateId: number })
        | undefined;
    },
    async briefing(id) {
      const r = s.prepare("select has_content as h, last_edited_by as by, last_edited_at as at from briefings where id = ?").get(id) as { h: number; by: string | null; at: number };
      return { hasContent: r.h === 1, lastEditedBy: r.by, lastEditedAt: r.at };
    },
    async setLogBytes(rowId, bytes) {
      s.prepare('update document_updates set "update" = ? where id = ?').run(bytes, rowId);
    },
    async setSnapshotChecksum(id, checksum) {
      s.prepare("update document_snapshots set checksum = ? where briefing_id = ?").run(checksum, id);
    },
    async deleteRows(id) {
      s.prepare("delete from document_updates where briefing_id = ?").run(id);
      s.prepare("delete from document_snapshots where briefing_id = ?").run(id);
    },
    async close() {
      s.close();
    },
  };
}

/** A migrated PostgreSQL database of the test file's own, with its team and user. */
export async function pgDatabase(): Promise<{ pg: TestPostgres; db: PgDb }> {
  const database = await createPostgresDatabase();
  await migratePostgres(database.url);
  const db = openPostgres(database.url, { max: 4 });
  await db.insert(pgSchema.teams).values(team);
  await db.insert(pgSchema.users).values(user);
  return { pg: database, db };
}

export async function insertPgBriefing(db: PgDb, id = `b-${++briefings}`): Promise<string> {
  await db.insert(pgSchema.briefings).values(briefingRow(id));
  return id;
}

/** The PostgreSQL store on a database of its own. */
export async function pgHarness(): Promise<StoreHarness> {
  const { pg: database, db } = await pgDatabase();
  const refused: StoredDocumentCorruptError[] = [];
  const q = (text: string, values: unknown[]) => db.$client.query(text, values);
  const num = (v: string | null) => (v === null ? null : Number(v));
  return {
    dialect: "pg",
    store: createPgDocumentStore(db, { onCorrupt: (e) => refused.push(e) }),
    refused,
    newBriefing: () => insertPgBriefing(db),
    async deleteBriefing(id) {
      await q("delete from briefings where id = $1", [id]);
    },
    async logRows(id) {
      const r = await q('select id, "update" as bytes, checksum from document_updates where briefing_id = $1 order by id', [id]);
      return r.rows.map((row) => ({ id: Number(row.id), bytes: row.bytes, checksum: num(row.checksum) }));
    },
    async snapshot(id) {
      const r = await q("select state, checksum, last_update_id from document_snapshots where briefing_id = $1", [id]);
      const row = r.rows[0];
      return row && { id: 0, bytes: row.state, checksum: num(row.checksum), lastUpdateId: Number(row.last_update_id) };
    },
    async briefing(id) {
      const r = (await q("select has_content, last_edited_by, last_edited_at from briefings where id = $1", [id])).rows[0];
      return { hasContent: r.has_content, lastEditedBy: r.last_edited_by, lastEditedAt: (r.last_edited_at as Date).getTime() };
    },
    async setLogBytes(rowId, bytes) {
      await q('update document_updates set "update" = $1 where id = $2', [bytes, rowId]);
    },
    async setSnapshotChecksum(id, checksum) {
      await q("update document_snapshots set checksum = $1 where briefing_id = $2", [checksum, id]);
    },
    async deleteRows(id) {
      await q("delete from document_updates where briefing_id = $1", [id]);
      await q("delete from document_snapshots where briefing_id = $1", [id]);
    },
    async close() {
      await db.$client.end();
      await database.drop();
    },
  };
}

/** A raw connection of its own, for a transaction the test holds open. */
export async function pgClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}
