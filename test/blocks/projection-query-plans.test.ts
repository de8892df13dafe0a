// SQLite only: it reads SQLite's own query plans (EXPLAIN QUERY PLAN, FTS5 rowid look-ups) on an analysed file.
import { afterEach, describe, expect, it } from "vitest";
import type Database from "better-sqlite3";
import { createBriefing } from "../../db/queries/briefings";
import { openSqliteStore, withTransaction } from "../../db/store";
import { DEMO_TEAM_ID, DEMO_USERS } from "../../server/seed/demo";
import { PROJECTION_SQL } from "../../server/persistence/projection-store";
import { SEARCH_ROW_SQL } from "../../server/persistence/search-rows";
import { withTurkishFolds } from "../../server/persistence/search-text";
import { replaceSearchRow } from "../../server/persistence/search-rows";
import { seededTempDatabase } from "./temp-db";

/**
 * A projection's cost must not grow with the number of stored briefings (ADR 0206). That holds
 * when every statement it runs — and every trigger those statements fire — finds its rows by key:
 * a primary key, a unique index or a rowid. SQLite's own query plans on a real, analysed database
 * file say whether that is so; a timed test would say it only on a quiet machine.
 */

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});

/** Tables a projection writes (projection-store.ts and search-rows.ts). */
const WRITTEN = ["briefings", "quotes", "agenda_topics", "country_facts", "briefing_texts", "briefing_search_keys", "briefing_search"];

/**
 * Why a plan line is not a look-up by key, or null when it is. FTS5 reports a rowid equality as
 * `VIRTUAL TABLE INDEX <n>:=`; a constraint it cannot use (an UNINDEXED column) leaves no `=`.
 */
function notByKey(detail: string): string | null {
  // A subquery's own line only groups the lines under it, which are checked in turn.
  if (/^(CORRELATED )?SCALAR SUBQUERY \d+$/.test(detail)) return null;
  if (/^SEARCH \S+ USING (COVERING )?INDEX \S+ \((\w+=\?)( AND \w+=\?)*\)$/.test(detail)) return null;
  if (/^SEARCH \S+ USING INTEGER PRIMARY KEY \(rowid=\?\)$/.test(detail)) return null;
  if (/^SCAN briefing_search VIRTUAL TABLE INDEX \d+:=$/.test(detail)) return null;
  return detail;
}

function planProblems(sqlite: Database.Database, sql: string): string[] {
  const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
  const rows = sqlite.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => notByKey(r.detail)).filter((p): p is string => p !== null);
}

/** The statements in each trigger on a written table, with `old.x` / `new.x` as parameters. */
function triggerStatements(sqlite: Database.Database): { trigger: string; sql: string }[] {
  const triggers = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name in (${WRITTEN.map(() => "?").join(", ")})`)
    .all(...WRITTEN) as { name: string; sql: string }[];
  return triggers.flatMap((t) => {
    const body = t.sql.slice(t.sql.search(/\bBEGIN\b/i) + 5, t.sql.search(/\bEND\s*$/i));
    return body
      .split(";")
      .map((s) => s.trim().replace(/\b(old|new)\.\w+/gi, "?"))
      .filter(Boolean)
      .map((sql) => ({ trigger: t.name, sql }));
  });
}

async function archiveDatabase(stored: number) {
  const { db, dispose } = await seededTempDatabase();
  disposers.push(dispose);
  // The raw statements run on the same connection, inside the transaction.
  await withTransaction(openSqliteStore(db), async (store) => {
    for (let i = 0; i < stored; i++) {
      const id = `plan-${i}`;
      await createBriefing(store, DEMO_TEAM_ID, { title: `Archive ${i}`, summitName: "Archive", city: "Astana", startDate: "2025-01-01", endDate: "2025-01-02", classification: "RESTRICTED" }, DEMO_USERS[0].id, id);
      db.$client.prepare("insert into briefing_texts (briefing_id, body, updated_at) values (?, ?, ?)").run(id, `Body ${i}`, Date.now());
      replaceSearchRow(db.$client, id, `Archive ${i}`, withTurkishFolds(`Body ${i}`));
    }
  });
  // With statistics the planner weighs real row counts; the look-ups must hold with them too.
  db.$client.exec("analyze");
  return db.$client;
}

describe("projection query plans", () => {
  it("finds every row a projection reads or writes by key, with 500 briefings stored and analysed", async () => {
    const sqlite = await archiveDatabase(500);
    const statements = { ...PROJECTION_SQL, ...SEARCH_ROW_SQL };
    expect(Object.keys(statements).length).toBeGreaterThanOrEqual(19);
    const problems = Object.entries(statements).flatMap(([name, sql]) => planProblems(sqlite, sql).map((p) => `${name}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("finds rows by key in every trigger on the tables a projection writes", async () => {
    const sqlite = await archiveDatabase(50);
    const statements = triggerStatements(sqlite);
    // The briefing-deleted trigger of migration 0009 at least; a new trigger is checked as it comes.
    expect(statements.map((s) => s.trigger)).toContain("briefing_search_keys_briefing_deleted");
    const problems = statements.flatMap((s) => planProblems(sqlite, s.sql).map((p) => `${s.trigger}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("tells a scan from a look-up: the search row found by its UNINDEXED briefing_id is refused", async () => {
    // What every projection did before ADR 0205, and what made its cost follow the archive.
    const sqlite = await archiveDatabase(20);
    expect(planProblems(sqlite, "select rowid from briefing_search where briefing_id = ?")).toHaveLength(1);
    expect(planProblems(sqlite, "select body from briefing_texts where body = ?")).toEqual(["SCAN briefing_texts"]);
  });
});
