import type pg from "pg";

/**
 * Runs `fn` while this process holds the session advisory lock `key` on a connection of its own,
 * so instances doing the same step at once (a first start's seed) take turns; `fn` uses the pool's
 * other connections. Released when `fn` settles; a crashed process's lock ends with its connection.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: number, fn: () => Promise<T>): Promise<T> {
  const lock = await pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [key]);
    return await fn();
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [key]).catch(() => {});
    lock.release();
  }
}
