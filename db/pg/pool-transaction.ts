import type pg from "pg";

/**
 * Runs `fn` in a transaction on one pooled connection, opened with `begin` (e.g. an isolation
 * level); a connection whose rollback failed is discarded instead of going back to the pool.
 */
export async function inPoolTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, begin = "begin"): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const result = await fn(c);
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
