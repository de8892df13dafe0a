import type pg from "pg";

/**
 * Runs `fn` in a transaction on one pooled connection, opened with `begin` (e.g. an isolation
 * level); a connection whose rollback failed is discarded instead of going back to the pool.
 * `fn` gets the `performance.now()` of the moment the connection was held, before `begin` was sent,
 * for callers that report how long their transaction held its locks.
 */
export async function inPoolTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient, heldSince: number) => Promise<T>, begin = "begin"): Promise<T> {
  const c = await pool.connect();
  const heldSince = performance.now();
  try {
    await c.query(begin);
    const result = await fn(c, heldSince);
    await c.query("commit");
    c.release();
    return result;
  } catch (err) {
    try {
      await c.query("rollback");
      c.release();
    } catch (rollbackErr) {
      c.release(rollbackErr as Error);
    }
    throw err;
  }
}
