import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoBriefing, loginAs, postForm } from "../helpers/http";
import { finalizeCleared, toReview } from "../helpers/review";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";

/**
 * A finalize whose version number another write took (docs/decisions/0510), through the real server
 * on SQLite and on PostgreSQL. The other write is a trigger in the database that records a row with
 * the same number just before the finalize's own insert, as a writer that skipped the status lock
 * would: the unique index refuses the finalize's row, the answer is 409 with a message (not a 500),
 * and nothing of the finalize is kept. Without the trigger the next finalize records version 1.
 * A second trigger records only a clearance record under the number: its primary key refuses the
 * finalize's record, with the same answer.
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

const SQLITE_RECORD_TRIGGER = `create trigger take_record after insert on briefing_versions
  begin
    insert into clearance_records (briefing_id, version, record) values (new.briefing_id, new.version, '{"entries":[]}');
  end`;

const PG_RECORD_TRIGGER = [
  `create function take_record() returns trigger language plpgsql as $$
   begin
     insert into clearance_records (briefing_id, version, record) values (new.briefing_id, new.version, '{"entries":[]}');
     return new;
   end $$`,
  "create trigger take_record after insert on briefing_versions for each row execute function take_record()",
];

const REFUSAL = "Version 1 of this briefing was recorded by someone else meanwhile; reload and try again.";

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`a finalize whose number was taken, on ${dialect.name}`, { timeout: 240_000 }, () => {
    let env: DialectServer;
    const sqlite = dialect.name === "SQLite";
    /** Rows of the briefing's tables: `$id` stands for the briefing. */
    const stored = (briefingId: string, text: string) => env.sql(text.replace("$id", "?"), [briefingId]);

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

      for (const statement of sqlite ? [SQLITE_TRIGGER] : PG_TRIGGER) await env.write(statement);
      const refused = await finalizeCleared(server.url, briefingId, editor, commenter);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toBe(REFUSAL);
      expect(await stored(briefingId, "select status from briefings where id = $id")).toEqual([{ status: "in_review" }]);
      expect(await stored(briefingId, "select version from briefing_versions where briefing_id = $id")).toEqual([]);
      expect(await stored(briefingId, "select version from clearance_records where briefing_id = $id")).toEqual([]);

      await env.write("drop trigger take_number" + (sqlite ? "" : " on briefing_versions"));
      const finalized = await postForm(server.url, `/briefings/${briefingId}/status`, editor, { to: "final" });
      expect(finalized.status).toBe(200);
      expect(await finalized.json()).toMatchObject({ ok: true, status: "final", version: 1 });
      expect(await stored(briefingId, "select version, content_hash <> 'taken' as own from briefing_versions where briefing_id = $id")).toEqual([{ version: 1, own: sqlite ? 1 : true }]);
    });

    it("is answered 409 when only the clearance record's number was taken, and keeps nothing of the finalize", async () => {
      const { server } = env;
      const editor = await loginAs(server.url, "editor");
      const commenter = await loginAs(server.url, "commenter");
      const briefingId = await createDemoBriefing(server.url, editor, "Clearance record clash");
      expect((await postForm(server.url, `/briefings/${briefingId}/status`, editor, toReview())).status).toBe(200);

      for (const statement of sqlite ? [SQLITE_RECORD_TRIGGER] : PG_RECORD_TRIGGER) await env.write(statement);
      try {
        const refused = await finalizeCleared(server.url, briefingId, editor, commenter);
        expect(refused.status).toBe(409);
        expect(((await refused.json()) as { error: string }).error).toBe(REFUSAL);
      } finally {
        await env.write("drop trigger take_record" + (sqlite ? "" : " on briefing_versions"));
      }
      expect(await stored(briefingId, "select status from briefings where id = $id")).toEqual([{ status: "in_review" }]);
      expect(await stored(briefingId, "select version from briefing_versions where briefing_id = $id")).toEqual([]);
      expect(await stored(briefingId, "select version from clearance_records where briefing_id = $id")).toEqual([]);
    });
  });
}
