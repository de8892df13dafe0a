import type Database from "better-sqlite3";

/**
 * A briefing's row in the FTS5 index, found by key rather than by its UNINDEXED briefing_id column
 * (a scan of the whole index). `briefing_search_keys` (migration 0009) gives each briefing one
 * integer that is the rowid of its search row, so reading, replacing and deleting are B-tree
 * look-ups whose cost does not grow with the number of stored briefings (ADR 0205).
 */

interface Statements {
  key: Database.Statement<[string], { rowid: number }>;
  addKey: Database.Statement<[string]>;
  title: Database.Statement<[number], { title: string }>;
  deleteRow: Database.Statement<[number]>;
  insertRow: Database.Statement<[number, string, string, string]>;
  deleteKey: Database.Statement<[string]>;
}

/** The statements, by name: a unique-index look-up on the key table, then rowid look-ups on the FTS table. */
export const SEARCH_ROW_SQL = {
  key: "select search_rowid as rowid from briefing_search_keys where briefing_id = ?",
  addKey: "insert into briefing_search_keys (briefing_id) values (?) on conflict (briefing_id) do nothing",
  title: "select title from briefing_search where rowid = ?",
  deleteRow: "delete from briefing_search where rowid = ?",
  insertRow: "insert into briefing_search (rowid, briefing_id, title, body) values (?, ?, ?, ?)",
  deleteKey: "delete from briefing_search_keys where briefing_id = ?",
} as const;

function prepare(sqlite: Database.Database): Statements {
  return Object.fromEntries(Object.entries(SEARCH_ROW_SQL).map(([name, sql]) => [name, sqlite.prepare(sql)])) as unknown as Statements;
}

const cache = new WeakMap<Database.Database, Statements>();
const statementsFor = (sqlite: Database.Database) => {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
};

/** The title stored in a briefing's search row, or undefined when it has none. */
export function searchRowTitle(sqlite: Database.Database, briefingId: string): string | undefined {
  const s = statementsFor(sqlite);
  const key = s.key.get(briefingId);
  return key ? s.title.get(key.rowid)?.title : undefined;
}

/**
 * Replaces a briefing's search row with `title` and `body` (already folded, search-text.ts).
 * Call inside a transaction: the key and the row are written together.
 */
export function replaceSearchRow(sqlite: Database.Database, briefingId: string, title: string, body: string): void {
  const s = statementsFor(sqlite);
  s.addKey.run(briefingId);
  const { rowid } = s.key.get(briefingId)!;
  s.deleteRow.run(rowid);
  s.insertRow.run(rowid, briefingId, title, body);
}

/** Removes a briefing's search row and key (a trigger does the same when the briefing row is deleted). */
export function deleteSearchRow(sqlite: Database.Database, briefingId: string): void {
  const s = statementsFor(sqlite);
  const key = s.key.get(briefingId);
  if (!key) return;
  s.deleteRow.run(key.rowid);
  s.deleteKey.run(briefingId);
}
