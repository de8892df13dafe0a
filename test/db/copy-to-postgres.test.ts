import { spawn } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { asc, eq, getTableName, is, sql, Table } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openPostgres, type PgDb } from "../../db/pg/client";
import { copyOrder } from "../../db/pg/copy-from-sqlite";
import * as pgSchema from "../../db/pg/schema";
import { searchBriefingsPg } from "../../db/dialect/pg/search";
import * as sqliteSchema from "../../db/schema";
import { anchorFor, commentApi } from "../comments/comment-api";
import { get, loginAs, postForm } from "../helpers/http";
import { createPostgresDatabase, postgresAvailable, type TestPostgres } from "../helpers/postgres";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, DEMO_BRIEFING, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";
import { suggestionApi } from "../suggestions/suggestion-api";

const hasPostgres = postgresAvailable();
const TYPED = "Copied to PostgreSQL: İstanbul, ılık, Çavuşoğlu. ";
const DEMO_TEAM = "demo-kz-tr-desk";

/** Runs `npm run db:copy-to-postgres` as an operator would. */
function copyCommand(from: string, to: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "db:copy-to-postgres", "--", "--from", from, "--to", to], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A value with its type differences between the drivers removed: bytes as hex, dates as ms, JSON keys sorted. */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString("hex")}`;
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

const rowsOf = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(normalise(r))).sort();

/** The live document as the store loads it: the snapshot, then the update log in id order. */
function assemble(snapshot: Buffer | undefined, updates: Buffer[]): Y.Doc {
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

describe.skipIf(!hasPostgres)("npm run db:copy-to-postgres", () => {
  let server: TestServer;
  let pg: TestPostgres;
  let pgDb: PgDb;
  let sqlite: Database.Database;

  beforeAll(async () => {
    server = await startTestServer({ env: { HISTORY_INTERVAL_MS: "300", PROJECTION_DEBOUNCE_MS: "50" } });
    const editor = await loginAs(server.url, "editor");
    const commenter = await loginAs(server.url, "commenter");
    // An edit through the real socket, with Turkish letters the search must find on Postgres.
    const client = await connectClient(server.url, editor);
    firstParagraph(client.doc).insert(0, TYPED);
    await eventually(async () => {
      const c = await connectClient(server.url, editor);
      const text = body(c.doc).toString();
      c.destroy();
      expect(text).toContain("Copied to PostgreSQL");
    }, 20_000, 100);
    const comments = commentApi(server.url, commenter);
    expect((await comments.create(anchorFor(client.doc, "Copied to PostgreSQL"), "Is the copy verified?")).ok).toBe(true);
    const suggestions = suggestionApi(server.url, commenter);
    expect((await suggestions.suggest(anchorFor(client.doc, "PostgreSQL"), "Postgres")).ok).toBe(true);
    const history = `/briefings/${DEMO_BRIEFING}/history?index&_data=${encodeURIComponent("routes/briefings.$briefingId_.history._index")}`;
    expect((await postForm(server.url, history, editor, { intent: "save", name: "Before the move" })).status).toBe(200);
    // An export is audited.
    expect((await get(server.url, `/briefings/${DEMO_BRIEFING}/export.md`, editor)).status).toBe(200);
    destroyAllClients();
    // The projection has indexed the edit before the server stops.
    const check = new Database(server.databasePath, { readonly: true });
    await eventually(() => {
      const row = check.prepare("select body from briefing_texts where briefing_id = ?").get(DEMO_BRIEFING) as { body: string } | undefined;
      expect(row?.body).toContain("Copied to PostgreSQL");
    }, 20_000, 100);
    check.close();
    expect(await server.stop()).toBe(0);
    pg = await createPostgresDatabase();
    sqlite = new Database(server.databasePath, { readonly: true });
  }, 180_000);

  afterAll(async () => {
    sqlite?.close();
    await pgDb?.$client.end();
    await pg?.drop();
    if (server) await server.stop();
  });

  it("copies every table row for row, keeps the Yjs bytes, and verifies before committing", async () => {
    const run = await copyCommand(server.databasePath, pg.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/counts and checksums verified/);
    pgDb = openPostgres(pg.url);

    const sqliteDb = drizzle(sqlite, { schema: sqliteSchema });
    const order = copyOrder();
    expect(order.map((t) => t.name).sort()).toEqual(
      Object.values(sqliteSchema)
        .filter((v) => is(v, Table))
        .map((t) => getTableName(t as Table))
        .sort(),
    );
    const counts: Record<string, number> = {};
    for (const { name, pg: pgTable, sqlite: sqliteTable } of order) {
      // Drizzle decodes each side with its own column types; equal after normalising means equal data.
      const from = await sqliteDb.select().from(sqliteTable as never);
      const to = await pgDb.select().from(pgTable);
      expect(rowsOf(to as Record<string, unknown>[]), name).toEqual(rowsOf(from as Record<string, unknown>[]));
      counts[name] = from.length;
    }
    for (const name of ["users", "briefings", "comments", "comment_threads", "suggestions", "document_versions", "audit_events", "quotes", "country_facts", "agenda_topics"]) {
      expect(counts[name], `${name} has rows to compare`).toBeGreaterThan(0);
    }
    expect(counts.document_snapshots + counts.document_updates).toBeGreaterThan(0);

    // The document reassembled from PostgreSQL is the SQLite one, byte for byte.
    const doc = (snap: { state: Buffer } | undefined, updates: { update: Buffer }[]) => assemble(snap?.state, updates.map((u) => u.update));
    const fromSqlite = doc(
      sqliteDb.select().from(sqliteSchema.documentSnapshots).where(eq(sqliteSchema.documentSnapshots.briefingId, DEMO_BRIEFING)).get(),
      sqliteDb.select().from(sqliteSchema.documentUpdates).where(eq(sqliteSchema.documentUpdates.briefingId, DEMO_BRIEFING)).orderBy(asc(sqliteSchema.documentUpdates.id)).all(),
    );
    const [pgSnap] = await pgDb.select().from(pgSchema.documentSnapshots).where(eq(pgSchema.documentSnapshots.briefingId, DEMO_BRIEFING));
    const pgUpdates = await pgDb.select().from(pgSchema.documentUpdates).where(eq(pgSchema.documentUpdates.briefingId, DEMO_BRIEFING)).orderBy(asc(pgSchema.documentUpdates.id));
    const fromPg = doc(pgSnap, pgUpdates);
    expect(Buffer.from(Y.encodeStateAsUpdate(fromPg)).equals(Buffer.from(Y.encodeStateAsUpdate(fromSqlite)))).toBe(true);
    expect(body(fromPg).toString()).toContain("Copied to PostgreSQL");
  }, 180_000);

  it("rebuilds the search rows for Postgres full-text search", async () => {
    const sqliteRows = (sqlite.prepare("select count(*) as n from briefing_search_keys").get() as { n: number }).n;
    const [{ n }] = (await pgDb.execute<{ n: string }>(sql`select count(*) as n from briefing_search`)).rows;
    expect(Number(n)).toBe(sqliteRows);
    for (const q of ["Cavusoglu", "ISTANBUL", "ilik", "postgresql"]) {
      expect((await searchBriefingsPg(pgDb, DEMO_TEAM, q)).map((h) => h.briefingId), q).toContain(DEMO_BRIEFING);
    }
  });

  it("keeps audit events append-only and continues ids after the copied ones", async () => {
    await expect(pgDb.$client.query("update audit_events set action = 'x'")).rejects.toThrow(/append-only/);
    await expect(pgDb.$client.query("delete from audit_events")).rejects.toThrow(/append-only/);
    await expect(pgDb.$client.query("truncate audit_events")).rejects.toThrow(/append-only/);
    const [max] = (await pgDb.execute<{ id: string }>(sql`select max(id) as id from audit_events`)).rows;
    const [added] = await pgDb.insert(pgSchema.auditEvents).values({ at: new Date(), action: "test.after_copy" }).returning();
    expect(added.id).toBeGreaterThan(Number(max.id));
  });

  it("refuses a second copy into the now non-empty target, with exit code 2", async () => {
    const run = await copyCommand(server.databasePath, pg.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not empty \(rows in .*users/);
    // Nothing was added: still one row per SQLite user.
    const [{ n }] = (await pgDb.execute<{ n: string }>(sql`select count(*) as n from users`)).rows;
    expect(Number(n)).toBe((sqlite.prepare("select count(*) as n from users").get() as { n: number }).n);
  });

  it("commits nothing when the copy does not verify: a stored checksum that does not match its bytes", async () => {
    const damaged = path.join(path.dirname(server.databasePath), "damaged.db");
    await sqlite.backup(damaged);
    const writable = new Database(damaged);
    const { changes } = writable.prepare("update document_snapshots set checksum = (checksum + 1) % 4294967296 where briefing_id = ?").run(DEMO_BRIEFING);
    writable.close();
    expect(changes).toBe(1);
    const empty = await createPostgresDatabase();
    try {
      const run = await copyCommand(damaged, empty.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/nothing was committed.*document_snapshots: 1 rows whose bytes no longer match their checksum/s);
      const check = openPostgres(empty.url);
      const [{ n }] = (await check.execute<{ n: string }>(sql`select count(*) as n from users`)).rows;
      await check.$client.end();
      expect(Number(n)).toBe(0);
    } finally {
      await empty.drop();
    }
  }, 120_000);

  it("answers bad arguments with a usage message and exit code 64", async () => {
    const missing = await copyCommand("/nonexistent/briefings.db", pg.url);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/no such file/);
    const notPg = await copyCommand(server.databasePath, "mysql://localhost/x");
    expect(notPg.code).toBe(64);
    expect(notPg.stderr).toMatch(/postgres:\/\//);
  });
});
