import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { DuplicateFinalVersionsError } from "../../db/duplicate-final-versions";
import { newId } from "../../db/ids";
import { migrateDatabase } from "../../db/migrate";
import { migratePostgres } from "../../db/pg/migrate";
import { createBriefing } from "../../db/queries/briefings";
import { createTeam } from "../../db/queries/teams";
import { createUser } from "../../db/queries/users";
import { isFinalVersionTaken } from "../../db/queries/versions";
import { exec, openPgStore, openSqliteStore, rows, type Store } from "../../db/store";
import { createPostgresDatabase, postgresAvailable } from "../helpers/postgres";
import { tempDir } from "../helpers/server";

/**
 * The migration that makes final version numbers unique (SQLite 0011, PostgreSQL 0003) on a
 * database that holds two rows with one number, as only a bug could have written: the migration
 * fails in its own transaction with an error that names the duplicated numbers (the index's error
 * as its cause), so the rows, the plain index and the list of applied migrations are as they were;
 * once the duplicate is gone, the next start applies it.
 */

const repoDb = path.join(import.meta.dirname, "../../db");

/** A copy of a migrations folder without its last migration: the schema before the index. */
function folderWithoutLast(folder: string, lastTag: string): string {
  const out = tempDir("migrations-");
  fs.cpSync(path.join(repoDb, folder), out, { recursive: true });
  const journalPath = path.join(out, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  expect(journal.entries.at(-1)?.tag).toBe(lastTag);
  journal.entries.pop();
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}

/** A briefing with two final versions numbered 1; returns the briefing's id and the second row's. */
async function twoVersionsNumberedOne(store: Store): Promise<{ briefingId: string; second: string }> {
  const userId = (await createUser(store, { email: "emre@example.test", name: "Emre", passwordHash: "h" })).id;
  const team = await createTeam(store, "Desk", userId);
  const briefingId = (await createBriefing(store, team.id, { title: "Summit", summitName: "Summit", city: "Ankara", startDate: "2026-12-14", endDate: "2026-12-15", classification: "RESTRICTED" }, userId)).id;
  const row = { briefingId, version: 1, snapshot: Buffer.from([0, 0]), contentHash: "h", title: "Summit", createdBy: userId, createdAt: new Date() };
  await exec(store, (db, t) => db.insert(t.briefingVersions).values({ id: newId(), ...row }));
  const second = newId();
  await exec(store, (db, t) => db.insert(t.briefingVersions).values({ id: second, ...row }));
  return { briefingId, second };
}

interface Case {
  name: string;
  available: boolean;
  /** A store migrated up to the migration before the index, the full migration, and the indexes on briefing_versions. */
  open(): Promise<{ store: Store; migrateAll(): Promise<void>; applied(): Promise<number>; indexes(): Promise<string[]>; close(): Promise<void> }>;
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const cases: Case[] = [
  {
    name: "SQLite (0011)",
    available: true,
    async open() {
      const db = openDatabase(path.join(tempDir(), "before-0011.db"));
      migrateSqlite(db, { migrationsFolder: folderWithoutLast("migrations", "0011_final_version_unique") });
      const store = openSqliteStore(db);
      return {
        store,
        migrateAll: async () => void migrateDatabase(db),
        applied: async () => (await rows<{ n: number }>(store, sql`select count(*) as n from __drizzle_migrations`))[0].n,
        indexes: async () => (await rows<{ name: string }>(store, sql`select name from sqlite_master where type = 'index' and tbl_name = 'briefing_versions' and sql is not null order by name`)).map((r) => r.name),
        close: async () => void db.$client.close(),
      };
    },
  },
  {
    name: "PostgreSQL (0003)",
    available: postgresAvailable(),
    async open() {
      const database = await createPostgresDatabase();
      const store = openPgStore(database.url, { max: 2 });
      if (store.dialect !== "pg") throw new Error("not a PostgreSQL store");
      await migratePg(store.db, { migrationsFolder: folderWithoutLast("migrations-pg", "0003_final_version_unique") });
      return {
        store,
        migrateAll: () => migratePostgres(database.url),
        applied: async () => (await rows<{ n: number }>(store, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0].n,
        indexes: async () => (await rows<{ name: string }>(store, sql`select indexname as name from pg_indexes where tablename = 'briefing_versions' and indexname <> 'briefing_versions_pkey' order by 1`)).map((r) => r.name),
        async close() {
          await store.db.$client.end();
          await database.drop();
        },
      };
    },
  },
];

for (const c of cases) {
  describe.skipIf(!c.available)(`the unique final version migration on ${c.name}`, () => {
    it("fails loudly on duplicate numbers, changes nothing, and applies once they are resolved", async () => {
      const db = await c.open();
      closers.push(db.close);
      const { briefingId, second } = await twoVersionsNumberedOne(db.store);
      const before = await db.applied();
      expect(await db.indexes()).toEqual(["briefing_versions_briefing_idx"]);

      const failure = await db.migrateAll().then(() => null, (err: unknown) => err);
      expect(failure, "the migration applied over duplicate version numbers").not.toBeNull();
      expect(failure).toBeInstanceOf(DuplicateFinalVersionsError);
      expect((failure as DuplicateFinalVersionsError).duplicates).toEqual([{ briefingId, version: 1, rows: 2 }]);
      expect((failure as Error).message).toContain(`briefing ${briefingId} version 1 (2 rows)`);
      expect((failure as Error).message).toContain("Nothing was changed.");
      expect(isFinalVersionTaken((failure as Error).cause)).toBe(true);
      expect(await db.applied()).toBe(before);
      expect(await db.indexes()).toEqual(["briefing_versions_briefing_idx"]);
      expect(await exec(db.store, (d, t) => d.select({ id: t.briefingVersions.id }).from(t.briefingVersions))).toHaveLength(2);

      await exec(db.store, (d, t) => d.delete(t.briefingVersions).where(sql`${t.briefingVersions.id} = ${second}`));
      await db.migrateAll();
      expect(await db.applied()).toBe(before + 1);
      expect(await db.indexes()).toEqual(["briefing_versions_briefing_version_idx"]);
    });
  });
}
