import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "drizzle-orm";
import type pg from "pg";
import { schema, type Db } from "./client";
import { openPostgres, pgSchema, type PgDb, type PgPoolOptions } from "./pg/client";
import { pgDriver } from "./pg/driver";

/**
 * The database the query layer runs on (ADR 0111): SQLite through better-sqlite3, or PostgreSQL
 * through node-postgres. Query functions take a Store, build with `exec(store, (db, t) => …)` and
 * await the builder; both drivers execute a builder when it is awaited.
 */
export type Store = SqliteStore | PgStore;

export interface SqliteStore {
  dialect: "sqlite";
  db: Db;
  t: typeof schema;
  /** What happens when a transaction body let the event loop run (see TransactionYieldedError). */
  onYield: YieldPolicy;
}

export interface PgStore {
  dialect: "pg";
  db: PgDb;
  t: typeof pgSchema;
}

/**
 * "throw": roll back and throw TransactionYieldedError (development and tests, so the bug is loud).
 * A function: commit and report (production: other requests' statements that ran inside the
 * transaction believed they were written, and a rollback would silently lose them).
 */
export type YieldPolicy = "throw" | ((err: TransactionYieldedError) => void);

/** Base of the store's typed errors. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A SQLite transaction body let a macrotask run (real I/O, a timer) before it settled. Code not yet
 * converted to the store calls better-sqlite3 synchronously without knowing the transaction mutex,
 * so it may have run inside this transaction. Bodies may await queries, never I/O.
 */
export class TransactionYieldedError extends StoreError {
  constructor() {
    super("A SQLite transaction body yielded to the event loop (I/O or a timer) before it finished: only queries may be awaited inside withTransaction.");
  }
}

/** withTransaction was called inside a synchronous better-sqlite3 transaction, which it cannot join. */
export class NestedSyncTransactionError extends StoreError {
  constructor() {
    super("withTransaction was called inside a synchronous db.transaction: convert the outer transaction to withTransaction first.");
  }
}

export function openSqliteStore(db: Db, options: { onYield?: YieldPolicy } = {}): SqliteStore {
  return { dialect: "sqlite", db, t: schema, onYield: options.onYield ?? "throw" };
}

/**
 * A PostgreSQL store over a URL (a pool of its own; end it with `store.db.$client.end()`) or a pool.
 * The process must have loaded the driver (`await loadPgDriver()`, db/pg/driver.ts).
 */
export function openPgStore(target: string | pg.Pool, opts: PgPoolOptions = {}): PgStore {
  const db = typeof target === "string" ? openPostgres(target, opts) : (pgDriver().drizzle(target, { schema: pgSchema }) as PgDb);
  return { dialect: "pg", db, t: pgSchema };
}

/** The first row of a result, or undefined: `.get()` becomes `first(await q.limit(1))`. */
export function first<T>(result: readonly T[]): T | undefined {
  return result[0];
}

// --- SQLite: one connection, one mutex --------------------------------------------------------

/**
 * The mutex of one SQLite connection: a queue of holders. A transaction holds it from BEGIN to
 * COMMIT; a single statement outside a transaction takes it only when someone else holds it.
 */
class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();
  /** Holders and waiters; 0 means a statement may run at once. */
  pending = 0;
  /**
   * A withTransaction holds the mutex from its BEGIN to its COMMIT or ROLLBACK: an open
   * transaction on the connection is then this one (awaiting queries), not a synchronous one.
   */
  transactionOpen = false;

  acquire(): Promise<() => void> {
    this.pending++;
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = () => {
        this.pending--;
        resolve();
      };
    });
    const ready = this.tail.then(() => release);
    this.tail = next;
    return ready;
  }
}

const locks = new WeakMap<object, ConnectionLock>();

function lockOf(db: Db): ConnectionLock {
  let lock = locks.get(db.$client);
  if (!lock) locks.set(db.$client, (lock = new ConnectionLock()));
  return lock;
}

interface Scope {
  lock: ConnectionLock;
  /** Savepoints opened so far in this transaction, for unique names. */
  savepoints: number;
  /**
   * Set when the transaction ended. Work its body left running (a promise not awaited) still
   * carries the scope; once ended it is outside, and its queries wait for the mutex like anyone's.
   */
  ended: boolean;
}

const scope = new AsyncLocalStorage<Scope>();
/**
 * SQLite transactions open in this process (any connection). The scope is switched off when none
 * is: on Node 20 an AsyncLocalStorage that was ever run keeps async hooks on for the whole process,
 * which taxes every promise and every socket write (each collab delivery) with its init hook, for
 * the sake of the few milliseconds a transaction is open (docs/decisions/0125).
 */
let openScopes = 0;

/** The open transaction of `db` the caller runs inside, if any. */
function openScopeOf(db: Db): Scope | undefined {
  const current = scope.getStore();
  return current !== undefined && !current.ended && current.lock === lockOf(db) ? current : undefined;
}

function inScope(db: Db): boolean {
  return openScopeOf(db) !== undefined;
}

/**
 * Runs a statement now and settles with its result. A Drizzle SQLite builder runs its statement
 * synchronously inside `then`, so calling it here (not through Promise.resolve, which defers
 * `then` to a microtask) keeps the statement inside a synchronous transaction of a caller that is
 * not converted yet.
 */
function runNow<T>(query: () => T | PromiseLike<T>): Promise<T> {
  try {
    const result = query();
    if (result !== null && typeof result === "object" && typeof (result as PromiseLike<T>).then === "function") {
      return new Promise<T>((resolve, reject) => (result as PromiseLike<T>).then(resolve, reject));
    }
    return Promise.resolve(result as T);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Runs one query of the query layer. The builder is typed against the SQLite schema on both
 * dialects (ADR 0111: the builders used have one shape, the parity test keeps the tables equal).
 * On SQLite, outside a transaction scope it waits while another transaction holds the connection;
 * inside the scope it runs at once.
 */
export function exec<T>(store: Store, query: (db: Db, t: typeof schema) => T | PromiseLike<T>): Promise<T> {
  // The one cast of the query layer: a PostgreSQL database and schema typed as their SQLite twins.
  if (store.dialect === "pg") return runNow(() => query(store.db as unknown as Db, store.t as unknown as typeof schema));
  const lock = lockOf(store.db);
  if (lock.pending === 0 || inScope(store.db)) return runNow(() => query(store.db, store.t));
  return lock.acquire().then((release) => runNow(() => query(store.db, store.t)).finally(release));
}

/** Raw SQL that is the same on both dialects: `db.all` on SQLite, `execute(...).rows` on PostgreSQL. */
export function rows<T = Record<string, unknown>>(store: Store, statement: SQL): Promise<T[]> {
  if (store.dialect === "pg") return runNow(async () => (await store.db.execute(statement)).rows as T[]);
  return exec(store, (db) => db.all<T>(statement));
}

/**
 * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws; a nested call
 * is a savepoint. PostgreSQL: Drizzle's transaction on a pool connection, `fn` gets it as a Store.
 * SQLite: BEGIN IMMEDIATE on the one connection under its mutex and an AsyncLocalStorage scope, so
 * other requests' converted queries wait and this body's run at once (ADR 0111, 0114).
 */
export function withTransaction<T>(store: Store, fn: (tx: Store) => Promise<T>): Promise<T> {
  if (store.dialect === "pg") {
    return store.db.transaction(async (tx) => fn({ dialect: "pg", db: tx as unknown as PgDb, t: store.t }));
  }
  return sqliteTransaction(store, fn);
}

async function sqliteTransaction<T>(store: SqliteStore, fn: (tx: Store) => Promise<T>): Promise<T> {
  const client = store.db.$client;
  const current = openScopeOf(store.db);
  if (current) {
    const name = `sd_sp_${++current.savepoints}`;
    client.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(store);
      client.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      client.exec(`ROLLBACK TO ${name}`);
      client.exec(`RELEASE ${name}`);
      throw err;
    }
  }
  const lock = lockOf(store.db);
  // An open transaction not taken through the mutex is a synchronous db.transaction around this
  // call, which can never end while we wait; one taken through it ends, so wait for the mutex.
  if (client.inTransaction && !lock.transactionOpen) throw new NestedSyncTransactionError();
  const release = await lock.acquire();
  try {
    // A synchronous transaction of unconverted code may have begun while we waited for the mutex.
    if (client.inTransaction) throw new NestedSyncTransactionError();
    // IMMEDIATE: take the write lock now, as db/client.ts does for synchronous transactions (the
    // projection thread writes from its own connection; a deferred one would fail with SQLITE_BUSY).
    client.exec("BEGIN IMMEDIATE");
    lock.transactionOpen = true;
    // Fires at the first turn of the event loop: if that comes before the body settled, the body
    // waited on I/O or a timer and unconverted synchronous code may have run inside the transaction.
    let yielded = false;
    const tick = setImmediate(() => {
      yielded = true;
    });
    let result: T;
    const entered: Scope = { lock, savepoints: 0, ended: false };
    openScopes++;
    try {
      result = await scope.run(entered, () => fn(store));
    } catch (err) {
      clearImmediate(tick);
      if (client.inTransaction) client.exec("ROLLBACK");
      throw err;
    } finally {
      entered.ended = true;
      if (--openScopes === 0) scope.disable();
    }
    clearImmediate(tick);
    if (yielded) {
      const err = new TransactionYieldedError();
      if (store.onYield === "throw") {
        if (client.inTransaction) client.exec("ROLLBACK");
        throw err;
      }
      store.onYield(err);
    }
    try {
      client.exec("COMMIT");
    } catch (err) {
      if (client.inTransaction) client.exec("ROLLBACK");
      throw err;
    }
    return result;
  } finally {
    lock.transactionOpen = false;
    release();
  }
}

/** For tests and diagnostics: whether the caller runs inside a SQLite transaction scope of `store`. */
export function inTransaction(store: Store): boolean {
  return store.dialect === "sqlite" && inScope(store.db);
}
