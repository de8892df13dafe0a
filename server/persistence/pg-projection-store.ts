import type pg from "pg";
import type { PgDb } from "../../db/pg/client";
import { pgDriver } from "../../db/pg/driver";
import { inPoolTransaction } from "../../db/pg/pool-transaction";
import * as pgSchema from "../../db/pg/schema";
import { replaceSearchRowPg } from "../../db/dialect/pg/search";
import { diff, FACT_COLS, QUOTE_COLS, snake, TOPIC_COLS, type FactRow, type QuoteRow, type Stored, type TopicRow } from "./projection-rows";
import type { Projection, ProjectionResult, WriteStats } from "./projection-store";

/**
 * The PostgreSQL twin of projection-store.ts (ADR 0111): the same rows written for the same
 * projection (the column lists and the diff are projection-rows.ts, shared with it), only the rows that changed, the search row only when text or title changed.
 *
 * What differs, and why:
 * - Statements are named (`name:`), so each pooled connection prepares them once, as the SQLite
 *   half prepares its statements once per connection.
 * - The read happens inside the write transaction, after `select … for no key update` of the
 *   briefing row. On SQLite one write lock covers the whole file, so reading before it keeps the
 *   group commits waiting less; here the row lock holds up only what writes that briefing row (a
 *   rename, a flush's "last edited"), and several instances may project the same briefing: reading
 *   under the lock means the diff is against what is stored, never against rows another instance
 *   rewrote after our read, and a rename's re-index cannot land between our read and our search write.
 * - The search row holds the plain title and text; `replaceSearchRowPg` folds them into its tsvector.
 */

// Quoted aliases: PostgreSQL folds unquoted names to lower case.
const selectList = (cols: readonly string[]) => ['block_id as "blockId"', 'team_id as "teamId"', ...cols.map((c) => `${snake(c)} as "${c}"`)].join(", ");
const upsertSql = (table: string, cols: readonly string[]) => {
  const names = ["briefing_id", "block_id", "team_id", ...cols.map(snake)];
  const sets = ["team_id", ...cols.map(snake)].map((c) => `${c} = excluded.${c}`).join(", ");
  return `insert into ${table} (${names.join(", ")}) values (${names.map((_, i) => `$${i + 1}`).join(", ")})
          on conflict (briefing_id, block_id) do update set ${sets}`;
};

/** Every statement a projection runs, by name; each is a look-up by primary key. */
export const PG_PROJECTION_SQL = {
  briefing: 'select team_id as "teamId", title, portion_marks as marks from briefings where id = $1 for no key update',
  setMarks: "update briefings set portion_marks = $1 where id = $2",
  quotes: `select ${selectList(QUOTE_COLS)} from quotes where briefing_id = $1`,
  topics: `select ${selectList(TOPIC_COLS)} from agenda_topics where briefing_id = $1`,
  facts: `select ${selectList(FACT_COLS)} from country_facts where briefing_id = $1`,
  text: "select body from briefing_texts where briefing_id = $1",
  searchTitle: "select title from briefing_search where briefing_id = $1",
  upsertQuote: upsertSql("quotes", QUOTE_COLS),
  upsertTopic: upsertSql("agenda_topics", TOPIC_COLS),
  upsertFact: upsertSql("country_facts", FACT_COLS),
  deleteQuote: "delete from quotes where briefing_id = $1 and block_id = $2",
  deleteTopic: "delete from agenda_topics where briefing_id = $1 and block_id = $2",
  deleteFact: "delete from country_facts where briefing_id = $1 and block_id = $2",
  upsertText:
    "insert into briefing_texts (briefing_id, body, updated_at) values ($1, $2, $3) on conflict (briefing_id) do update set body = excluded.body, updated_at = excluded.updated_at",
} as const;

type Name = keyof typeof PG_PROJECTION_SQL;

const run = <R extends pg.QueryResultRow = pg.QueryResultRow>(c: pg.PoolClient, name: Name, values: unknown[]) =>
  c.query<R>({ name: `projection-${name}`, text: PG_PROJECTION_SQL[name], values });

interface Snapshot {
  briefing: { teamId: string; title: string; marks: string };
  quotes: Map<string, Stored<QuoteRow>>;
  topics: Map<string, Stored<TopicRow>>;
  facts: Map<string, Stored<FactRow>>;
  body: string | undefined;
  searchTitle: string | undefined;
}

async function readSnapshot(c: pg.PoolClient, briefingId: string): Promise<Snapshot | null> {
  const briefing = (await run<{ teamId: string; title: string; marks: unknown }>(c, "briefing", [briefingId])).rows[0];
  if (!briefing) return null;
  const byBlock = <T extends { blockId: string }>(rows: T[]) => new Map(rows.map((r) => [r.blockId, r]));
  return {
    // jsonb arrives parsed; as JSON text it compares with the projection's marks as on SQLite.
    briefing: { teamId: briefing.teamId, title: briefing.title, marks: JSON.stringify(briefing.marks) },
    quotes: byBlock((await run<Stored<QuoteRow>>(c, "quotes", [briefingId])).rows),
    topics: byBlock((await run<Stored<TopicRow>>(c, "topics", [briefingId])).rows),
    facts: byBlock((await run<Stored<FactRow>>(c, "facts", [briefingId])).rows),
    body: (await run<{ body: string }>(c, "text", [briefingId])).rows[0]?.body,
    searchTitle: (await run<{ title: string }>(c, "searchTitle", [briefingId])).rows[0]?.title,
  };
}

/**
 * Writes `projection` for a briefing as writeProjectionRows does on SQLite. Returns null when the
 * briefing does not exist (nothing is written).
 */
export async function writeProjectionRowsPg(db: PgDb | pg.Pool, briefingId: string, projection: Projection): Promise<(ProjectionResult & WriteStats) | null> {
  const pool: pg.Pool = "$client" in db ? db.$client : db;
  // A briefing that does not exist has no row to lock and nothing was written: the commit ends the read.
  return inPoolTransaction(pool, async (c, started) => {
    const snapshot = await readSnapshot(c, briefingId);
    if (!snapshot) return null;
    const { teamId, title, marks: storedMarks } = snapshot.briefing;
    const quotes = diff(projection.quotes, snapshot.quotes, QUOTE_COLS, teamId);
    const topics = diff(projection.topics, snapshot.topics, TOPIC_COLS, teamId);
    const facts = diff(projection.facts, snapshot.facts, FACT_COLS, teamId);
    const textChanged = snapshot.body !== projection.text;
    const marks = projection.marks ?? [];
    const searchUpdated = textChanged || snapshot.searchTitle !== title;

    for (const r of quotes.upserts) await run(c, "upsertQuote", [briefingId, r.blockId, teamId, ...QUOTE_COLS.map((k) => r[k] ?? null)]);
    for (const r of topics.upserts) await run(c, "upsertTopic", [briefingId, r.blockId, teamId, ...TOPIC_COLS.map((k) => r[k] ?? null)]);
    for (const r of facts.upserts) await run(c, "upsertFact", [briefingId, r.blockId, teamId, ...FACT_COLS.map((k) => r[k] ?? null)]);
    for (const id of quotes.deletes) await run(c, "deleteQuote", [briefingId, id]);
    for (const id of topics.deletes) await run(c, "deleteTopic", [briefingId, id]);
    for (const id of facts.deletes) await run(c, "deleteFact", [briefingId, id]);
    const rowsWritten =
      quotes.upserts.length + topics.upserts.length + facts.upserts.length + quotes.deletes.length + topics.deletes.length + facts.deletes.length;
    if (textChanged) await run(c, "upsertText", [briefingId, projection.text, new Date()]);
    // node-postgres would send a JS array as a PostgreSQL array; jsonb wants the JSON text.
    if (storedMarks !== JSON.stringify(marks)) await run(c, "setMarks", [JSON.stringify(marks), briefingId]);
    if (searchUpdated) await replaceSearchRowPg(pgDriver().drizzle(c, { schema: pgSchema }), briefingId, title, projection.text);
    return {
      quotes: projection.quotes.length,
      topics: projection.topics.length,
      facts: projection.facts.length,
      skipped: projection.skipped,
      searchUpdated,
      rowsWritten,
      lockMs: performance.now() - started,
    };
  });
}
