import type pg from "pg";
import type { VersionKind } from "../../db/schema";
import type { PgDb } from "../../db/pg/client";
import { inPoolTransaction } from "../../db/pg/pool-transaction";
import type { LastRow, StoredRow, VersionInfo, VersionRow, VersionRows } from "./version-types";

/**
 * First key of the advisory lock a recorder takes (ADR 0121); the second is `hashtext(briefing_id)`.
 * Fixed: another tool that inserts versions must take the same (the compaction lock is 0x5d01).
 */
export const VERSION_LOCK_KEY = 0x5d02;

/**
 * The PostgreSQL twin of the version store's SQLite statements (ADR 0111, 0121): the same rows,
 * numbering, checksums and compression (version-store.ts does those once for both).
 *
 * - Statements are named, so each pooled connection prepares them once, as SQLite prepares its
 *   statements once per connection.
 * - A version's number is gap-free and unique across instances: the insert runs in a transaction
 *   that first takes `pg_advisory_xact_lock(VERSION_LOCK_KEY, hashtext(briefing_id))`, then reads
 *   the newest number and inserts only when the planned one is still next. Under `read committed`
 *   the read after the lock sees every version committed by the holder before it, so two recorders
 *   can never both take a number; the loser plans again against the winner's row (a new delta
 *   base). The unique (briefing_id, seq) index stays the backstop: a writer that skipped the lock
 *   and took the number gets "taken" too, never a duplicate. The payload is encoded before the
 *   lock, so no instance holds it while it compresses.
 * - bigint columns (checksum, change_bytes, sums) arrive as strings; jsonb arrives parsed.
 */
const INFO_COLS = `seq, kind, name, authors, clients, change_bytes::float8 as change_bytes, octet_length(state) as stored_bytes, is_full,
  final_version, created_by, created_at, state_vector`;

export const PG_VERSION_SQL = {
  last: `select seq, compressed, state, state_vector, checksum,
      (select max(seq) from document_versions f where f.briefing_id = $1 and f.is_full) as full_seq
    from document_versions where briefing_id = $1 order by seq desc limit 1`,
  lock: "select pg_advisory_xact_lock($1, hashtext($2))",
  latestSeq: "select max(seq) as n from document_versions where briefing_id = $1",
  insert: `insert into document_versions (id, briefing_id, seq, kind, name, authors, clients, change_bytes, is_full, compressed, state,
      state_vector, checksum, final_version, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, $10, $11, $12, $13, $14, $15)
    returning ${INFO_COLS}`,
  list: `select ${INFO_COLS} from document_versions where briefing_id = $1 order by seq desc`,
  one: `select ${INFO_COLS} from document_versions where briefing_id = $1 and seq = $2`,
  after: `select ${INFO_COLS} from document_versions where briefing_id = $1 and seq > $2 order by seq`,
  fullAtOrBefore: "select max(seq) as n from document_versions where briefing_id = $1 and is_full and seq <= $2",
  chain: "select seq, compressed, state, checksum from document_versions where briefing_id = $1 and seq between $2 and $3 order by seq",
  lastAt: "select max(created_at) as at from document_versions where briefing_id = $1",
  storedBytes: "select coalesce(sum(octet_length(state)), 0)::float8 as n from document_versions where briefing_id = $1",
} as const;

type Name = keyof typeof PG_VERSION_SQL;

type InfoRow = {
  seq: number;
  kind: VersionKind;
  name: string | null;
  authors: string[];
  clients: Record<string, string>;
  change_bytes: number;
  stored_bytes: number;
  is_full: boolean;
  final_version: number | null;
  created_by: string | null;
  created_at: Date;
  state_vector: Buffer | null;
};
type ChainRow = { seq: number; compressed: boolean; state: Buffer; checksum: string | null };

const toInfo = (r: InfoRow): VersionInfo => ({
  seq: r.seq,
  kind: r.kind,
  name: r.name,
  authors: r.authors,
  clients: r.clients,
  changeBytes: r.change_bytes,
  storedBytes: r.stored_bytes,
  isFull: r.is_full,
  finalVersion: r.final_version,
  createdBy: r.created_by,
  createdAt: r.created_at,
  stateVector: r.state_vector ? new Uint8Array(r.state_vector) : null,
});

const toStored = (r: ChainRow): StoredRow => ({ seq: r.seq, compressed: r.compressed, state: r.state, checksum: r.checksum === null ? null : Number(r.checksum) });

/** Unique violation: the number was taken by a writer that did not take the lock. */
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === "23505";

export function createPgVersionRows(db: PgDb | pg.Pool): VersionRows {
  const pool: pg.Pool = "$client" in db ? db.$client : db;
  const run = <R extends pg.QueryResultRow>(c: pg.Pool | pg.PoolClient, name: Name, values: unknown[]) =>
    c.query<R>({ name: `history-${name}`, text: PG_VERSION_SQL[name], values });

  /** On a connection that holds the briefing's lock: inserts when `row.seq` is still next, else null. */
  const insertLocked = async (c: pg.PoolClient, briefingId: string, row: VersionRow): Promise<VersionInfo | null> => {
    const latest = (await run<{ n: number | null }>(c, "latestSeq", [briefingId])).rows[0]?.n ?? 0;
    if (latest + 1 !== row.seq) return null;
    const inserted = await run<InfoRow>(c, "insert", [
      row.id,
      briefingId,
      row.seq,
      row.kind,
      row.name,
      // node-postgres would send a JS array as a PostgreSQL array; jsonb wants the JSON text.
      JSON.stringify(row.authors),
      JSON.stringify(row.clients),
      row.changeBytes,
      row.isFull,
      row.stored,
      row.stateVector,
      row.checksum,
      row.finalVersion,
      row.createdBy,
      new Date(row.createdAt),
    ]);
    return toInfo(inserted.rows[0]);
  };

  /** Runs `fn` in a transaction on one connection that first takes the briefing's numbering lock. */
  const locked = <T>(briefingId: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> =>
    inPoolTransaction(pool, async (c) => {
      await run(c, "lock", [VERSION_LOCK_KEY, briefingId]);
      return fn(c);
    });

  /** The rows on `c` (a connection holding the lock, inside `exclusive`) or on the pool. */
  const rowsOn = (held: pg.PoolClient | null): VersionRows => {
    const c = held ?? pool;
    return {
      dialect: "pg",
      async last(briefingId) {
        const r = (await run<ChainRow & { state_vector: Buffer | null; full_seq: number | null }>(c, "last", [briefingId])).rows[0];
        return r && ({ ...toStored(r), stateVector: r.state_vector, fullSeq: r.full_seq } satisfies LastRow);
      },
      async insertIfNext(briefingId, row) {
        if (held) return insertLocked(held, briefingId, row);
        try {
          return await locked(briefingId, (lc) => insertLocked(lc, briefingId, row));
        } catch (err) {
          if (isUniqueViolation(err)) return null;
          throw err;
        }
      },
      list: async (briefingId) => (await run<InfoRow>(c, "list", [briefingId])).rows.map(toInfo),
      async one(briefingId, seq) {
        const r = (await run<InfoRow>(c, "one", [briefingId, seq])).rows[0];
        return r ? toInfo(r) : undefined;
      },
      after: async (briefingId, seq) => (await run<InfoRow>(c, "after", [briefingId, seq])).rows.map(toInfo),
      fullAtOrBefore: async (briefingId, seq) => (await run<{ n: number | null }>(c, "fullAtOrBefore", [briefingId, seq])).rows[0]?.n ?? null,
      chain: async (briefingId, from, to) => (await run<ChainRow>(c, "chain", [briefingId, from, to])).rows.map(toStored),
      latestSeq: async (briefingId) => (await run<{ n: number | null }>(c, "latestSeq", [briefingId])).rows[0]?.n ?? 0,
      lastAt: async (briefingId) => (await run<{ at: Date | null }>(c, "lastAt", [briefingId])).rows[0]?.at?.getTime() ?? 0,
      storedBytes: async (briefingId) => (await run<{ n: number }>(c, "storedBytes", [briefingId])).rows[0]?.n ?? 0,
      exclusive: held ? (_briefingId, fn) => fn(rowsOn(held)) : (briefingId, fn) => locked(briefingId, (lc) => fn(rowsOn(lc))),
    };
  };
  return rowsOn(null);
}
