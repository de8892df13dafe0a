import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPostgresDatabase, postgresAvailable, queryPostgres } from "../helpers/postgres";

/**
 * The tests' PostgreSQL databases are dropped at the end of each file. A forced drop terminates the
 * connections still open with FATAL 57P01, and a pool's client that is still closing after
 * `pool.end()` resolved reports that as an unhandled 'error', which fails the whole run. So the drop
 * waits for the database's connections to close, and only terminates what is left at its deadline.
 */

const hasPostgres = postgresAvailable();

/** Whether a database of this name exists in the cluster of `url`. */
async function exists(url: string): Promise<boolean> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  return (await queryPostgres(u.toString(), "select 1 from pg_database where datname = $1", [name])).length === 1;
}

describe.skipIf(!hasPostgres)("dropping a test database", { timeout: 60_000 }, () => {
  it("waits for a connection that is still open, which goes on working, and drops once it closed", async () => {
    const database = await createPostgresDatabase();
    const client = new pg.Client({ connectionString: database.url });
    const errors: Error[] = [];
    client.on("error", (err) => errors.push(err));
    await client.connect();

    let dropped = false;
    const drop = database.drop().then(() => (dropped = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(dropped).toBe(false);
    expect((await client.query<{ n: number }>("select 1 as n")).rows[0].n).toBe(1);
    expect(await exists(database.url)).toBe(true);

    await client.end();
    await drop;
    expect(await exists(database.url)).toBe(false);
    expect(errors).toEqual([]);
  });

  it("drops right after pool.end() without the pool's clients reporting an error", async () => {
    const database = await createPostgresDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    const errors: Error[] = [];
    pool.on("error", (err) => errors.push(err));
    // Four clients at once, so that four connections are closing when the pool's end resolves.
    await Promise.all(Array.from({ length: 4 }, () => pool.query("select pg_sleep(0.05)")));
    expect(pool.totalCount).toBe(4);
    await pool.end();
    await database.drop();
    await new Promise((r) => setTimeout(r, 100));
    expect(await exists(database.url)).toBe(false);
    expect(errors).toEqual([]);
  });

  it("terminates a connection left open once its wait is over", async () => {
    const database = await createPostgresDatabase();
    const client = new pg.Client({ connectionString: database.url });
    const ended = new Promise<Error>((resolve) => client.on("error", resolve));
    await client.connect();
    await database.drop({ waitMs: 200 });
    expect(await exists(database.url)).toBe(false);
    const err = (await ended) as Error & { code?: string };
    expect(err.code).toBe("57P01");
    await client.end().catch(() => {});
  });
});
