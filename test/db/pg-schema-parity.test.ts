import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "../../db/pg/schema";
import * as sqliteSchema from "../../db/schema";

/**
 * The PostgreSQL schema mirrors the SQLite one (ADR 0111): a table or column added to one and not
 * the other, a changed nullability, key, default, foreign key or index fails here, read from the
 * Drizzle table objects both migrations are generated from.
 */

/** Tables only PostgreSQL has: its full-text search row (SQLite's is an FTS5 table outside Drizzle). */
const PG_ONLY = new Set(["briefing_search"]);

type Shape = {
  columns: Record<string, { notNull: boolean; primary: boolean; hasDefault: boolean; unique: boolean; enumValues: string[] | null }>;
  primaryKey: string[];
  foreignKeys: string[];
  indexes: string[];
};

function tables(schema: Record<string, unknown>): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const value of Object.values(schema)) if (is(value, Table)) out.set(getTableName(value), value);
  return out;
}

function shape(table: Table): Shape {
  const config = is(table, PgTable) ? pgConfig(table) : sqliteConfig(table as SQLiteTable);
  const columns: Shape["columns"] = {};
  for (const c of Object.values(getTableColumns(table))) {
    columns[c.name] = {
      notNull: c.notNull,
      primary: c.primary,
      // An identity column is SQLite's AUTOINCREMENT: both fill the value in when none is given.
      hasDefault: c.hasDefault || c.generatedIdentity !== undefined || (c.primary && c.columnType === "SQLiteInteger" && (c as { autoIncrement?: boolean }).autoIncrement === true),
      unique: c.isUnique,
      enumValues: c.enumValues ?? null,
    };
  }
  const primaryKey = config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name));
  const foreignKeys = config.foreignKeys
    .map((fk) => {
      const ref = fk.reference();
      return `${ref.columns.map((c) => c.name).join(",")} -> ${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(",")}) on delete ${fk.onDelete ?? "no action"}`;
    })
    .sort();
  const indexes = config.indexes
    .map((i) => {
      const cols = i.config.columns.map((c) => ("name" in c ? c.name : "?")).join(",");
      return `${i.config.name}${i.config.unique ? " unique" : ""} (${cols})`;
    })
    .sort();
  return { columns, primaryKey, foreignKeys, indexes };
}

describe("PostgreSQL schema mirrors the SQLite schema", () => {
  const sqlite = tables(sqliteSchema);
  const pg = tables(pgSchema);

  it("has the same tables", () => {
    expect([...pg.keys()].filter((n) => !PG_ONLY.has(n)).sort()).toEqual([...sqlite.keys()].sort());
    expect(sqlite.size).toBeGreaterThan(20);
  });

  for (const name of [...tables(sqliteSchema).keys()].sort()) {
    it(`${name}: same columns, nullability, keys, defaults, foreign keys and indexes`, () => {
      const a = shape(sqlite.get(name)!);
      const b = pg.get(name);
      expect(b, `${name} is missing from db/pg/schema`).toBeDefined();
      expect(shape(b!)).toEqual(a);
    });
  }

  it("every pg-only table is deliberate", () => {
    expect([...pg.keys()].filter((n) => !sqlite.has(n))).toEqual([...PG_ONLY]);
  });
});
