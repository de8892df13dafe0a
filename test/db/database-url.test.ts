import { describe, expect, it } from "vitest";
import { SqliteHandleOnPostgresError, sqliteHandleOnPostgres } from "../../db/sqlite-handle-on-postgres";
import { loadConfig } from "../../server/config";
import { postgresLabel } from "../../server/database";

/** An environment of only these variables (NODE_ENV: test). */
const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

/** DATABASE_URL's parsing and what the server says about it (docs/decisions/0111). */
describe("DATABASE_URL", () => {
  it("accepts postgres:// and postgresql:// URLs, and is null when unset or empty", () => {
    expect(loadConfig(env({ DATABASE_URL: "postgres://summit:pw@db.example.gov:5432/summit" })).DATABASE_URL).toBe("postgres://summit:pw@db.example.gov:5432/summit");
    expect(loadConfig(env({ DATABASE_URL: "postgresql://db.example.gov/summit" })).DATABASE_URL).toBe("postgresql://db.example.gov/summit");
    expect(loadConfig(env()).DATABASE_URL).toBeNull();
    expect(loadConfig(env({ DATABASE_URL: "" })).DATABASE_URL).toBeNull();
  });

  it.each(["mysql://summit:secret-pw@db/summit", "secret-pw", "file:./secret-pw.db", "http://db.example.gov/secret-pw"])(
    "refuses %s with a message that names the variable and never repeats the value",
    (value) => {
      let message = "";
      try {
        loadConfig(env({ DATABASE_URL: value }));
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
      expect(message).not.toContain("secret-pw");
    },
  );

  it("is logged as host, port and database only", () => {
    expect(postgresLabel("postgres://summit:secret-pw@db.example.gov:5433/summit?sslmode=require")).toBe("postgresql://db.example.gov:5433/summit");
  });

  it("DATABASE_POOL_MAX defaults to 10 and refuses fewer than 2 (the migration lock holds one)", () => {
    expect(loadConfig(env()).DATABASE_POOL_MAX).toBe(10);
    expect(() => loadConfig(env({ DATABASE_POOL_MAX: "1" }))).toThrow(/DATABASE_POOL_MAX/);
  });
});

describe("the SQLite handle on PostgreSQL", () => {
  it("throws a clear error naming what was called, at the first use", () => {
    const db = sqliteHandleOnPostgres();
    expect(() => db.select()).toThrow(SqliteHandleOnPostgresError);
    expect(() => db.select()).toThrow("a synchronous SQLite handle was used while DATABASE_URL selects PostgreSQL (called: db.select)");
    expect(() => db.$client.prepare("select 1")).toThrow("(called: db.$client)");
    expect(() => db.transaction(() => 1)).toThrow("(called: db.transaction)");
  });

  it("is not a thenable and can be inspected, so resolving or logging it is not a use", async () => {
    const db = sqliteHandleOnPostgres();
    await expect(Promise.resolve(db)).resolves.toBe(db);
    expect(() => String(Object.prototype.toString.call(db))).not.toThrow();
  });
});
