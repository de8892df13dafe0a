import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgres } from "../../db/pg/migrate";
import { createPostgresDatabase, postgresAvailable, type TestPostgres } from "../helpers/postgres";

const hasPostgres = postgresAvailable();
const journal = JSON.parse(fs.readFileSync(new URL("../../db/migrations-pg/meta/_journal.json", import.meta.url), "utf8")) as { entries: unknown[] };

describe.skipIf(!hasPostgres)("migratePostgres", () => {
  let db: TestPostgres;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createPostgresDatabase();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("applies every migration once when several instances start together, and again is a no-op", async () => {
    await Promise.all([migratePostgres(db.url), migratePostgres(db.url), migratePostgres(db.url)]);
    await migratePostgres(db.url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const applied = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(applied.rows[0].n).toBe(journal.entries.length);
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public' order by 1");
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["audit_events", "briefing_search", "briefings", "document_updates", "users"]));
    const triggers = await client.query("select tgname from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal order by 1");
    expect(triggers.rows.map((r) => r.tgname)).toEqual(["audit_events_no_delete", "audit_events_no_truncate", "audit_events_no_update"]);
  });
});
