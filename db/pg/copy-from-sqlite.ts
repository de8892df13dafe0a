import type Database from "better-sqlite3";
import { getTableColumns, getTableName, is, sql, Table, type Column } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { storedChecksum } from "../checksum";
import * as sqliteSchema from "../schema";
import { openPostgres } from "./client";
import { migratePostgres } from "./migrate";
import * as pgSchema from "./schema";
import { replaceSearchRowPg, type PgExecutor } from "../dialect/pg/search";

/**
 * Copies a SQLite database into an empty PostgreSQL one (ADR 0111): every table in foreign-key
 * order, in batches, inside one PostgreSQL transaction that commits only after the row counts and
 * the stored documents' checksums are verified, so a failed copy leaves the target as empty as it
 * was. Ids, bytes and timestamps are kept exactly: each value goes through the SQLite column's
 * Drizzle decoder and the PostgreSQL column's encoder, the same mapping the app uses.
 */

/** The target already holds rows: copying into it would mix two databases. */
export class TargetNotEmptyError extends Error {
  constructor(readonly tables: string[]) {
    super(`the target PostgreSQL database is not empty (rows in ${tables.join(", ")}); copy into an empty database`);
    this.name = "TargetNotEmptyError";
  }
}

/** What was read does not match what PostgreSQL holds before commit; nothing was committed. */
export class CopyVerificationError extends Error {
  constructor(readonly problems: string[]) {
    super(`the copy does not match the source, nothing was committed: ${problems.join("; ")}`);
    this.name = "CopyVerificationError";
  }
}

export interface CopyReport {
  /** Rows copied per table, in the order copied. */
  tables: { name: string; rows: number }[];
  searchRows: number;
}

/** Rows per INSERT; a batch is also cut at BATCH_BYTES so Yjs states of many MB never pile up. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 16 * 1024 * 1024;

/** Tables whose bytes carry a CRC-32 in `checksum` (ADR 0105), verified after the copy. */
const CHECKSUMMED: Record<string, string> = { document_snapshots: "state", document_updates: "update", document_versions: "state" };

function tablesByName(schema: Record<string, unknown>): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const value of Object.values(schema)) if (is(value, Table)) out.set(getTableName(value), value);
  return out;
}

/** PostgreSQL tables with their SQLite twins, parents before children (a topological sort of the foreign keys). */
export function copyOrder(): { name: string; pg: PgTable; sqlite: Table }[] {
  const pgTables = tablesByName(pgSchema);
  const sqliteTables = tablesByName(sqliteSchema);
  const done = new Set<string>();
  const order: { name: string; pg: PgTable; sqlite: Table }[] = [];
  const visit = (name: string, path: string[]) => {
    if (done.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign-key cycle: ${[...path, name].join(" -> ")}`);
    const table = pgTables.get(name) as PgTable;
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = getTableName(fk.reference().foreignTable);
      if (parent !== name) visit(parent, [...path, name]);
    }
    done.add(name);
    const twin = sqliteTables.get(name);
    if (twin) order.push({ name, pg: table, sqlite: twin });
  };
  for (const name of [...sqliteTables.keys()].sort()) visit(name, []);
  return order;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function sizeOf(value: unknown): number {
  if (Buffer.isBuffer(value)) return value.length;
  if (typeof value === "string") return value.length * 2;
  return 8;
}

async function copyTable(tx: PgExecutor, sqlite: Database.Database, entry: { name: string; pg: PgTable; sqlite: Table }): Promise<number> {
  // Pair columns by database name (the parity test keeps the two schemas' names equal).
  const pgByName = new Map<string, [string, Column]>(Object.entries(getTableColumns(entry.pg)).map(([prop, c]) => [c.name, [prop, c]]));
  const pairs = Object.values(getTableColumns(entry.sqlite)).map((c) => {
    const target = pgByName.get(c.name);
    if (!target) throw new Error(`${entry.name}.${c.name} has no PostgreSQL column`);
    return { name: c.name, from: c, prop: target[0] };
  });
  const select = sqlite.prepare(`select ${pairs.map((p) => quoteIdent(p.name)).join(", ")} from ${quoteIdent(entry.name)} order by rowid`);
  let rows = 0;
  let batch: Record<string, unknown>[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await tx.insert(entry.pg).values(batch);
    rows += batch.length;
    batch = [];
    bytes = 0;
  };
  for (const raw of select.iterate() as Iterable<Record<string, unknown>>) {
    const row: Record<string, unknown> = {};
    for (const p of pairs) {
      const v = raw[p.name];
      row[p.prop] = v === null || v === undefined ? null : p.from.mapFromDriverValue(v);
      bytes += sizeOf(v);
    }
    batch.push(row);
    if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  // Identity columns continue after the copied ids, as SQLite's AUTOINCREMENT would.
  for (const c of Object.values(getTableColumns(entry.pg))) {
    if (!c.generatedIdentity) continue;
    await tx.execute(
      sql`select setval(pg_get_serial_sequence(${entry.name}, ${c.name}), coalesce((select max(${sql.identifier(c.name)}) from ${sql.identifier(entry.name)}), 0) + 1, false)`,
    );
  }
  return rows;
}

/** The search rows SQLite has (briefing_search_keys, migration 0009), rebuilt from the briefing's title and text. */
async function copySearchRows(tx: PgExecutor, sqlite: Database.Database): Promise<number> {
  const hasKeys = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'briefing_search_keys'").get();
  if (!hasKeys) return 0;
  const rows = sqlite
    .prepare(
      `select b.id as id, b.title as title, coalesce(t.body, '') as body
       from briefing_search_keys k join briefings b on b.id = k.briefing_id
       left join briefing_texts t on t.briefing_id = b.id order by k.search_rowid`,
    )
    .iterate() as Iterable<{ id: string; title: string; body: string }>;
  let n = 0;
  for (const r of rows) {
    await replaceSearchRowPg(tx, r.id, r.title, r.body);
    n++;
  }
  return n;
}

async function verify(tx: PgExecutor, sqlite: Database.Database, report: CopyReport): Promise<void> {
  const problems: string[] = [];
  for (const { name, rows } of report.tables) {
    const source = (sqlite.prepare(`select count(*) as n from ${quoteIdent(name)}`).get() as { n: number }).n;
    const target = Number((await tx.execute<{ n: string }>(sql`select count(*) as n from ${sql.identifier(name)}`)).rows[0].n);
    if (source !== rows || target !== rows) problems.push(`${name}: ${source} rows in SQLite, ${rows} copied, ${target} in PostgreSQL`);
  }
  for (const [table, column] of Object.entries(CHECKSUMMED)) {
    // Every stored checksum must still describe the bytes PostgreSQL now returns.
    const result = await tx.execute<{ checksum: string | null; bytes: Buffer }>(
      sql`select checksum, ${sql.identifier(column)} as bytes from ${sql.identifier(table)} where checksum is not null`,
    );
    let bad = 0;
    for (const r of result.rows) if (storedChecksum(r.bytes) !== Number(r.checksum)) bad++;
    if (bad > 0) problems.push(`${table}: ${bad} rows whose bytes no longer match their checksum`);
    const sourceBytes = (sqlite.prepare(`select coalesce(sum(length(${quoteIdent(column)})), 0) as n from ${quoteIdent(table)}`).get() as { n: number }).n;
    const targetBytes = Number((await tx.execute<{ n: string }>(sql`select coalesce(sum(octet_length(${sql.identifier(column)})), 0) as n from ${sql.identifier(table)}`)).rows[0].n);
    if (sourceBytes !== targetBytes) problems.push(`${table}.${column}: ${sourceBytes} bytes in SQLite, ${targetBytes} in PostgreSQL`);
  }
  if (problems.length > 0) throw new CopyVerificationError(problems);
}

/**
 * Migrates the PostgreSQL database at `url`, refuses it when any table has rows
 * (TargetNotEmptyError), and copies `sqlite` into it. Stop the server first: the copy reads one
 * consistent snapshot of the SQLite file, so later writes would not be in it.
 */
export async function copySqliteToPostgres(sqlite: Database.Database, url: string, onTable?: (name: string, rows: number) => void): Promise<CopyReport> {
  await migratePostgres(url); // loads the driver
  const db = openPostgres(url, { max: 1 });
  const order = copyOrder();
  try {
    // One read transaction: every table comes from the same state of the file.
    sqlite.exec("begin");
    try {
      return await db.transaction(async (tx) => {
        const busy: string[] = [];
        for (const { name } of [...order, { name: "briefing_search" }]) {
          const r = await tx.execute<{ any: boolean }>(sql`select exists (select 1 from ${sql.identifier(name)}) as any`);
          if (r.rows[0].any) busy.push(name);
        }
        if (busy.length > 0) throw new TargetNotEmptyError(busy);
        const report: CopyReport = { tables: [], searchRows: 0 };
        for (const entry of order) {
          const rows = await copyTable(tx, sqlite, entry);
          report.tables.push({ name: entry.name, rows });
          onTable?.(entry.name, rows);
        }
        report.searchRows = await copySearchRows(tx, sqlite);
        await verify(tx, sqlite, report);
        return report;
      });
    } finally {
      sqlite.exec("rollback");
    }
  } finally {
    await db.$client.end();
  }
}
