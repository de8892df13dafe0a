import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoBriefing, loginAs, postForm } from "../helpers/http";
import { createPostgresDatabase, postgresAvailable, queryPostgres, type TestPostgres } from "../helpers/postgres";
import { finalizeCleared, toReview } from "../helpers/review";
import { startTestServer, tempDir, type TestServer } from "../helpers/server";

/**
 * A finalize whose version number another write took (docs/decisions/0510), through the real server
 * on SQLite and on PostgreSQL. The other write is a trigger in the database that records a row with
 * the same number just before the finalize's own insert, as a writer that skipped the status lock
 * would: the unique index refuses the finalize's row, the answer is 409 with a message (not a 500),
 * and nothing of the finalize is kept. Without the trigger the next finalize records version 1.
 */

const SQLITE_TRIGGER = `create trigger take_number before insert on briefing_versions when new.content_hash <> 'taken'
  begin
    insert into briefing_versions (id, briefing_id, version, snapshot, content_hash, title, details, created_by, created_at)
    values (new.id || '-taken', new.briefing_id, new.version, new.snapshot, 'taken', new.title, new.details, new.created_by, new.created_at);
  end`;

const PG_TRIGGER = [
  `create function take_number() returns trigger language plpgsql as $$
   begin
     if new.content_hash <> 'taken' then
       insert into briefing_versions (id, briefing_id, version, snapshot, content_hash, title, details, created_by, created_at)
       values (new.id || '-taken', new.briefing_id, new.version, new.snapshot, 'taken', new.title, new.details, new.created_by, new.created_at);
     end if;
     return new;
   end $$`,
  "create trigger take_number before insert on briefing_versions for each row execute function take_number()",
];

interface Case {
  name: string;
  available: boolean;
  start(): Promise<{ server: TestServer; sql(text: string): Promise<Record<string, unknown>[]>; close(): Promise<void> }>;
}

const cases: Case[] = [
  {
    name: "SQLite",
    available: true,
    async start() {
      const server = await startTestServer({ databasePath: path.join(tempDir(), "number-taken.db") });
      return {
        server,
        async sql(text) {
          const db = new Database(server.databasePath);
          try {
            const statement = db.prepare(text);
            return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
          } finally {
            db.close();
          }
        },
        close: async () => void (await server.stop()),
      };
    },
  },
  {
    name: "PostgreSQL",
    available: postgresAvailable(),
    async start() {
      const database: TestPostgres = await createPostgresDatabase();
      const server = await startTestServer({ databaseUrl: database.url });
      return {
        server,
        sql: (text) => queryPostgres(database.url, text),
        async close() {
          await server.stop();
          await database.drop();
        },
      };
    },
  },
];

for (const dialect of cases) {
  describe.skipIf(!dialect.available)(`a finalize whose number was taken, on ${dialect.name}`, { timeout: 240_000 }, () => {
    let env: Awaited<ReturnType<Case["start"]>>;

    beforeAll(async () => {
      env = await dialect.start();
    }, 240_000);
    afterAll(async () => env?.close());

    it("is answered 409, keeps nothing of the finalize, and the next finalize records version 1", async () => {
      const { server } = env;
      const editor = await loginAs(server.url, "editor");
      const commenter = await loginAs(server.url, "commenter");
      const briefingId = await createDemoBriefing(server.url, editor);
      expect((await postForm(server.url, `/briefings/${briefingId}/status`, editor, toReview())).status).toBe(200);

      if (dialect.name === "SQLite") await env.sql(SQLITE_TRIGGER);
      else for (const statement of PG_TRIGGER) await env.sql(statement);
      const refused = await finalizeCleared(server.url, briefingId, editor, commenter);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toBe("Version 1 of this briefing was recorded by someone else meanwhile; reload and try again.");
      const stored = (text: string) => env.sql(text.replace("$id", `'${briefingId}'`));
      expect(await stored("select status from briefings where id = $id")).toEqual([{ status: "in_review" }]);
      expect(await stored("select version from briefing_versions where briefing_id = $id")).toEqual([]);
      expect(await stored("select version from clearance_records where briefing_id = $id")).toEqual([]);

      await env.sql("drop trigger take_number" + (dialect.name === "SQLite" ? "" : " on briefing_versions"));
      const finalized = await postForm(server.url, `/briefings/${briefingId}/status`, editor, { to: "final" });
      expect(finalized.status).toBe(200);
      expect(await finalized.json()).toMatchObject({ ok: true, status: "final", version: 1 });
      expect(await stored("select version, content_hash <> 'taken' as own from briefing_versions where briefing_id = $id")).toEqual([{ version: 1, own: dialect.name === "SQLite" ? 1 : true }]);
    });
  });
}
