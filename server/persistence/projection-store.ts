import type Database from "better-sqlite3";
import { diff, FACT_COLS, QUOTE_COLS, snake, TOPIC_COLS, type FactRow, type QuoteRow, type Stored, type TopicRow } from "./projection-rows";
import { replaceSearchRow, searchRowTitle } from "./search-rows";
import { withTurkishFolds } from "./search-text";

/**
 * The database half of a projection, on raw better-sqlite3 statements prepared once per
 * connection. The main thread's group commits (document-store.ts) wait on the same file's write
 * lock while this writes, so the work is split: everything that only reads (stored rows, the search
 * row) happens before the transaction, the diff is computed outside it, and the transaction
 * (BEGIN IMMEDIATE) holds the lock only for a primary-key check of the briefing and the changed rows.
 */

/** What a briefing body projects to: one row per structured block, and its plain text. */
export interface Projection {
  quotes: QuoteRow[];
  topics: TopicRow[];
  facts: FactRow[];
  /** The body as plain text, blocks separated by newlines (for search). */
  text: string;
  /** Blocks skipped because their id was missing or repeated (a client without the block-id plugin). */
  skipped: number;
  /** The distinct portion marks (level names) in the body, kept on the briefing row (ADR 0406). */
  marks: string[];
}

export interface ProjectionResult {
  quotes: number;
  topics: number;
  facts: number;
  skipped: number;
  /** Whether the search index was rewritten (false when title and text were unchanged). */
  searchUpdated: boolean;
}

interface Statements {
  sqlite: Database.Database;
  begin: Database.Statement;
  commit: Database.Statement;
  rollback: Database.Statement;
  briefing: Database.Statement<[string], { teamId: string; title: string; marks: string }>;
  setMarks: Database.Statement<[string, string]>;
  quotes: Database.Statement<[string], Stored<QuoteRow>>;
  topics: Database.Statement<[string], Stored<TopicRow>>;
  facts: Database.Statement<[string], Stored<FactRow>>;
  text: Database.Statement<[string], { body: string }>;
  upsertQuote: Database.Statement;
  upsertTopic: Database.Statement;
  upsertFact: Database.Statement;
  deleteQuote: Database.Statement<[string, string]>;
  deleteTopic: Database.Statement<[string, string]>;
  deleteFact: Database.Statement<[string, string]>;
  upsertText: Database.Statement<[string, string, number]>;
}

const selectList = (cols: readonly string[]) => ["block_id as blockId", "team_id as teamId", ...cols.map((c) => `${snake(c)} as ${c}`)].join(", ");
const upsertSql = (table: string, cols: readonly string[]) => {
  const names = ["briefing_id", "block_id", "team_id", ...cols.map(snake)];
  const sets = ["team_id", ...cols.map(snake)].map((c) => `${c} = excluded.${c}`).join(", ");
  return `insert into ${table} (${names.join(", ")}) values (${names.map(() => "?").join(", ")})
          on conflict (briefing_id, block_id) do update set ${sets}`;
};

/**
 * Every statement a projection runs, by name. Each is a look-up by key (primary key, unique index
 * or rowid), never a scan, so a projection's cost does not grow with the number of stored
 * briefings; test/blocks/projection-query-plans.test.ts reads their query plans to keep it so.
 */
export const PROJECTION_SQL = {
  briefing: "select team_id as teamId, title, portion_marks as marks from briefings where id = ?",
  setMarks: "update briefings set portion_marks = ? where id = ?",
  quotes: `select ${selectList(QUOTE_COLS)} from quotes where briefing_id = ?`,
  topics: `select ${selectList(TOPIC_COLS)} from agenda_topics where briefing_id = ?`,
  facts: `select ${selectList(FACT_COLS)} from country_facts where briefing_id = ?`,
  text: "select body from briefing_texts where briefing_id = ?",
  upsertQuote: upsertSql("quotes", QUOTE_COLS),
  upsertTopic: upsertSql("agenda_topics", TOPIC_COLS),
  upsertFact: upsertSql("country_facts", FACT_COLS),
  deleteQuote: "delete from quotes where briefing_id = ? and block_id = ?",
  deleteTopic: "delete from agenda_topics where briefing_id = ? and block_id = ?",
  deleteFact: "delete from country_facts where briefing_id = ? and block_id = ?",
  upsertText:
    "insert into briefing_texts (briefing_id, body, updated_at) values (?, ?, ?) on conflict (briefing_id) do update set body = excluded.body, updated_at = excluded.updated_at",
} as const;

function prepare(sqlite: Database.Database): Statements {
  const statements = Object.fromEntries(Object.entries(PROJECTION_SQL).map(([name, sql]) => [name, sqlite.prepare(sql)]));
  return {
    ...(statements as unknown as Omit<Statements, "sqlite" | "begin" | "commit" | "rollback">),
    sqlite,
    begin: sqlite.prepare("begin immediate"),
    commit: sqlite.prepare("commit"),
    rollback: sqlite.prepare("rollback"),
  };
}

const cache = new WeakMap<Database.Database, Statements>();
const statementsFor = (sqlite: Database.Database) => {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
};

/** What is stored for a briefing, read without a transaction. */
interface Snapshot {
  briefing: { teamId: string; title: string; marks: string };
  quotes: Map<string, Stored<QuoteRow>>;
  topics: Map<string, Stored<TopicRow>>;
  facts: Map<string, Stored<FactRow>>;
  body: string | undefined;
  /** The title in the briefing's search row (undefined: no row yet). */
  searchTitle: string | undefined;
}

function readSnapshot(s: Statements, briefingId: string): Snapshot | null {
  const briefing = s.briefing.get(briefingId);
  if (!briefing) return null;
  const byBlock = <T extends { blockId: string }>(rows: T[]) => new Map(rows.map((r) => [r.blockId, r]));
  return {
    briefing,
    quotes: byBlock(s.quotes.all(briefingId)),
    topics: byBlock(s.topics.all(briefingId)),
    facts: byBlock(s.facts.all(briefingId)),
    body: s.text.get(briefingId)?.body,
    searchTitle: searchRowTitle(s.sqlite, briefingId),
  };
}

export interface WriteStats {
  /** Rows inserted, updated or deleted in the block tables. */
  rowsWritten: number;
  /** Milliseconds the write transaction was open (holding the database's write lock). */
  lockMs: number;
}

/**
 * Writes `projection` for a briefing, touching only rows that changed, and the search row only
 * when text or title changed. Returns null when the briefing does not exist (nothing is written).
 */
export function writeProjectionRows(sqlite: Database.Database, briefingId: string, projection: Projection): (ProjectionResult & WriteStats) | null {
  const s = statementsFor(sqlite);
  let snapshot = readSnapshot(s, briefingId);
  if (!snapshot) return null;
  const plan = (snap: Snapshot) => {
    const teamId = snap.briefing.teamId;
    return {
      quotes: diff(projection.quotes, snap.quotes, QUOTE_COLS, teamId),
      topics: diff(projection.topics, snap.topics, TOPIC_COLS, teamId),
      facts: diff(projection.facts, snap.facts, FACT_COLS, teamId),
      textChanged: snap.body !== projection.text,
      marks: JSON.stringify(projection.marks ?? []),
      searchUpdated: snap.body !== projection.text || snap.searchTitle !== snap.briefing.title,
    };
  };
  let p = plan(snapshot);
  const folded = p.searchUpdated ? withTurkishFolds(projection.text) : "";

  const started = performance.now();
  s.begin.run();
  try {
    // Only this projection writes block rows, one at a time; but the briefing may have been
    // deleted, renamed or moved to another team since the read above. A cheap check, and in the
    // rare case it changed, the read and the diff again, now under the lock.
    const now = s.briefing.get(briefingId);
    if (!now) {
      s.rollback.run();
      return null;
    }
    if (now.teamId !== snapshot.briefing.teamId || now.title !== snapshot.briefing.title) {
      snapshot = readSnapshot(s, briefingId)!;
      p = plan(snapshot);
    }
    const { teamId, title } = snapshot.briefing;
    let rowsWritten = 0;
    for (const r of p.quotes.upserts) s.upsertQuote.run(briefingId, r.blockId, teamId, ...QUOTE_COLS.map((c) => r[c] ?? null));
    for (const r of p.topics.upserts) s.upsertTopic.run(briefingId, r.blockId, teamId, ...TOPIC_COLS.map((c) => r[c] ?? null));
    for (const r of p.facts.upserts) s.upsertFact.run(briefingId, r.blockId, teamId, ...FACT_COLS.map((c) => r[c] ?? null));
    for (const id of p.quotes.deletes) s.deleteQuote.run(briefingId, id);
    for (const id of p.topics.deletes) s.deleteTopic.run(briefingId, id);
    for (const id of p.facts.deletes) s.deleteFact.run(briefingId, id);
    rowsWritten += p.quotes.upserts.length + p.topics.upserts.length + p.facts.upserts.length;
    rowsWritten += p.quotes.deletes.length + p.topics.deletes.length + p.facts.deletes.length;
    if (p.textChanged) s.upsertText.run(briefingId, projection.text, Date.now());
    // The marks as read under the lock: a reclassification never touches this column, only we do.
    if (now.marks !== p.marks) s.setMarks.run(p.marks, briefingId);
    if (p.searchUpdated) {
      // Keyed by briefing (search-rows.ts): a title re-index between the read and the lock
      // rewrote the same row, which this replaces.
      replaceSearchRow(sqlite, briefingId, title, folded || withTurkishFolds(projection.text));
    }
    s.commit.run();
    return {
      quotes: projection.quotes.length,
      topics: projection.topics.length,
      facts: projection.facts.length,
      skipped: projection.skipped,
      searchUpdated: p.searchUpdated,
      rowsWritten,
      lockMs: performance.now() - started,
    };
  } catch (err) {
    if (sqlite.inTransaction) s.rollback.run();
    throw err;
  }
}
