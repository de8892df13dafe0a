import { promisify } from "node:util";
import zlib from "node:zlib";
import * as Y from "yjs";
import { storedChecksum } from "../../db/checksum";
import { writeTransaction, type Db } from "../../db/client";
import { newId } from "../../db/ids";
import type { VersionKind } from "../../db/schema";
import type { Store } from "../../db/store";
import { StoredDocumentCorruptError } from "../persistence/corruption";
import { createPgVersionRows } from "./pg-version-store";
import type { LastRow, NewVersion, StoredRow, VersionInfo, VersionRow, VersionRows } from "./version-types";

export type { NewVersion, VersionInfo, VersionRows };

type InfoRow = {
  seq: number;
  kind: VersionKind;
  name: string | null;
  authors: string;
  clients: string;
  change_bytes: number;
  stored_bytes: number;
  is_full: number;
  final_version: number | null;
  created_by: string | null;
  created_at: number;
  state_vector: Buffer | null;
};
type ChainRow = { seq: number; is_full: number; compressed: number; state: Buffer; checksum: number | null };
type SqliteLastRow = { seq: number; is_full: number; compressed: number; state: Buffer; state_vector: Buffer | null; checksum: number | null; full_seq: number | null };

const toInfo = (r: InfoRow): VersionInfo => ({
  seq: r.seq,
  kind: r.kind,
  name: r.name,
  authors: JSON.parse(r.authors) as string[],
  clients: JSON.parse(r.clients) as Record<string, string>,
  changeBytes: r.change_bytes,
  storedBytes: r.stored_bytes,
  isFull: r.is_full === 1,
  finalVersion: r.final_version,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  stateVector: r.state_vector ? new Uint8Array(r.state_vector) : null,
});

const toStored = (r: ChainRow): StoredRow => ({ seq: r.seq, compressed: r.compressed === 1, state: r.state, checksum: r.checksum });

/**
 * The history table (docs/decisions/0108). Each version is stored as a delta (Y.diffUpdate of the
 * full state against the previous version's state vector) except every `fullEvery`-th, which is
 * the full state; both deflated. A version is rebuilt from the last full row at or before it and
 * the deltas after that row, so a rebuild reads at most `fullEvery` rows.
 *
 * The payload is computed by a `VersionEncoder`: a history thread (pool.ts, docs/decisions/0110),
 * or on this thread with compression on libuv's pool (`inProcessEncoder`). Recording is serialized per briefing in this process, and the row is
 * inserted atomically with a check that the number it planned is still the next one (another
 * process, or on PostgreSQL another instance, may have recorded meanwhile); if not, it plans again.
 * The check is the dialect's (VersionRows.insertIfNext): an IMMEDIATE transaction on SQLite, an
 * advisory lock on PostgreSQL (pg-version-store.ts, ADR 0121).
 */
const deflateRaw = promisify(zlib.deflateRaw);
const sleep = promisify(setTimeout);
/** Attempts of a recording whose number other processes keep taking (SQLite; PostgreSQL's second attempt cannot lose). */
const MAX_ATTEMPTS = 8;

/** Computes what a version's row stores: the delta against `prevVector` (or, without one, the full state), deflated. */
export interface VersionEncoder {
  encode(briefingId: string, seq: number, state: Uint8Array, prevVector: Uint8Array | null): Promise<{ stored: Uint8Array; stateVector: Uint8Array }>;
  /** The number was taken by another process: whatever was kept under it is not that version. */
  forget(briefingId: string, seq: number): void;
}

/** On this thread: the diff here, the compression on libuv's thread pool. */
export const inProcessEncoder: VersionEncoder = {
  async encode(_briefingId, _seq, state, prevVector) {
    const stateVector = Y.encodeStateVectorFromUpdate(state);
    return { stored: await deflateRaw(prevVector ? Y.diffUpdate(state, prevVector) : state), stateVector };
  },
  forget() {},
};

/** The version store of the database `store` opened, SQLite or PostgreSQL. */
export function createVersionStore(store: Store, fullEvery: number): VersionStore {
  return versionStoreOver(store.dialect === "pg" ? createPgVersionRows(store.db) : createSqliteVersionRows(store.db), fullEvery);
}

/** The SQLite half: prepared statements on the connection (the main thread's, or a history thread's own). */
export function createSqliteVersionRows(db: Db): VersionRows {
  const sqlite = db.$client;
  const q = {
    last: sqlite.prepare<[string, string], SqliteLastRow>(
      `select seq, is_full, compressed, state, state_vector, checksum,
         (select max(seq) from document_versions f where f.briefing_id = ? and f.is_full = 1) as full_seq
       from document_versions where briefing_id = ? order by seq desc limit 1`,
    ),
    insert: sqlite.prepare(
      `insert into document_versions (id, briefing_id, seq, kind, name, authors, clients, change_bytes, is_full, compressed, state,
         state_vector, checksum, final_version, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    ),
    list: sqlite.prepare<[string], InfoRow>(
      `select seq, kind, name, authors, clients, change_bytes, length(state) as stored_bytes, is_full, final_version, created_by, created_at, state_vector
       from document_versions where briefing_id = ? order by seq desc`,
    ),
    one: sqlite.prepare<[string, number], InfoRow>(
      `select seq, kind, name, authors, clients, change_bytes, length(state) as stored_bytes, is_full, final_version, created_by, created_at, state_vector
       from document_versions where briefing_id = ? and seq = ?`,
    ),
    after: sqlite.prepare<[string, number], InfoRow>(
      `select seq, kind, name, authors, clients, change_bytes, length(state) as stored_bytes, is_full, final_version, created_by, created_at, state_vector
       from document_versions where briefing_id = ? and seq > ? order by seq`,
    ),
    fullAtOrBefore: sqlite
      .prepare<[string, number], number | null>("select max(seq) from document_versions where briefing_id = ? and is_full = 1 and seq <= ?")
      .pluck(),
    chain: sqlite.prepare<[string, number, number], ChainRow>(
      "select seq, is_full, compressed, state, checksum from document_versions where briefing_id = ? and seq between ? and ? order by seq",
    ),
    latestSeq: sqlite.prepare<[string], number | null>("select max(seq) from document_versions where briefing_id = ?").pluck(),
    lastAt: sqlite.prepare<[string], number | null>("select max(created_at) from document_versions where briefing_id = ?").pluck(),
    totalBytes: sqlite.prepare<[string], number | null>("select sum(length(state)) from document_versions where briefing_id = ?").pluck(),
  };

  const last = (briefingId: string): LastRow | undefined => {
    const r = q.last.get(briefingId, briefingId);
    return r && { ...toStored(r), stateVector: r.state_vector, fullSeq: r.full_seq };
  };

  // IMMEDIATE (writeTransaction): it reads the previous version and then writes, and the projection
  // thread writes to the same file; a deferred transaction would fail with SQLITE_BUSY instead of waiting.
  const insert = writeTransaction(sqlite, (briefingId: string, r: VersionRow): VersionInfo | null => {
    if ((q.last.get(briefingId, briefingId)?.seq ?? 0) + 1 !== r.seq) return null;
    q.insert.run(
      r.id,
      briefingId,
      r.seq,
      r.kind,
      r.name,
      JSON.stringify(r.authors),
      JSON.stringify(r.clients),
      r.changeBytes,
      r.isFull ? 1 : 0,
      r.stored,
      r.stateVector,
      r.checksum,
      r.finalVersion,
      r.createdBy,
      r.createdAt,
    );
    return toInfo(q.one.get(briefingId, r.seq)!);
  });

  // Async over synchronous statements: the same interface as PostgreSQL's, the same SQL as before.
  return {
    dialect: "sqlite",
    last: async (briefingId) => last(briefingId),
    insertIfNext: async (briefingId, row) => insert(briefingId, row),
    list: async (briefingId) => q.list.all(briefingId).map(toInfo),
    one: async (briefingId, seq) => {
      const row = q.one.get(briefingId, seq);
      return row ? toInfo(row) : undefined;
    },
    after: async (briefingId, seq) => q.after.all(briefingId, seq).map(toInfo),
    fullAtOrBefore: async (briefingId, seq) => q.fullAtOrBefore.get(briefingId, seq) ?? null,
    chain: async (briefingId, from, to) => q.chain.all(briefingId, from, to).map(toStored),
    latestSeq: async (briefingId) => q.latestSeq.get(briefingId) ?? 0,
    lastAt: async (briefingId) => q.lastAt.get(briefingId) ?? 0,
    storedBytes: async (briefingId) => q.totalBytes.get(briefingId) ?? 0,
  };
}

/** What every caller of the history sees, on either dialect: numbering, deltas, checksums and rebuilds. */
export function versionStoreOver(q: VersionRows, fullEvery: number) {
  const unpack = (briefingId: string, row: StoredRow): Uint8Array => {
    if (row.checksum !== storedChecksum(row.state)) {
      throw new StoredDocumentCorruptError(briefingId, "history", `version ${row.seq}: checksum ${row.checksum ?? "missing"} does not match`);
    }
    return row.compressed ? zlib.inflateRawSync(row.state) : new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength);
  };

  /** The number and base of the next version, from the row before it. */
  const plan = async (rows: VersionRows, briefingId: string) => {
    const last = await rows.last(briefingId);
    const seq = (last?.seq ?? 0) + 1;
    // A full state on the first version and once `fullEvery` versions followed the last full one.
    let prevVector: Uint8Array | null = null;
    if (last && last.fullSeq !== null && seq - last.fullSeq < fullEvery) {
      prevVector = last.stateVector ? new Uint8Array(last.stateVector) : Y.encodeStateVectorFromUpdate(unpack(briefingId, last));
    }
    return { seq, prevVector };
  };

  /** Plans, encodes and inserts once; null when another recorder took the number meanwhile. */
  const attempt = async (rows: VersionRows, briefingId: string, v: NewVersion, encoder: VersionEncoder): Promise<VersionInfo | null> => {
    const p = await plan(rows, briefingId);
    const encoded = await encoder.encode(briefingId, p.seq, v.state, p.prevVector);
    const stored = Buffer.from(encoded.stored);
    const info = await rows.insertIfNext(briefingId, {
      id: newId(),
      seq: p.seq,
      kind: v.kind,
      name: v.name,
      authors: v.authors,
      clients: v.clients,
      changeBytes: v.changeBytes,
      isFull: p.prevVector === null,
      stored,
      stateVector: Buffer.from(encoded.stateVector),
      checksum: storedChecksum(stored),
      finalVersion: v.finalVersion ?? null,
      createdBy: v.createdBy,
      createdAt: Date.now(),
    });
    if (!info) encoder.forget(briefingId, p.seq);
    return info;
  };

  const recordOnce = async (briefingId: string, v: NewVersion, encoder: VersionEncoder): Promise<VersionInfo> => {
    for (let n = 1; ; n++) {
      // After a lost race, where the lock can be held across the encode (PostgreSQL), the retry
      // holds it from plan to insert and cannot lose again; the first attempt encodes unlocked.
      const info = n > 1 && q.exclusive ? await q.exclusive(briefingId, (rows) => attempt(rows, briefingId, v, encoder)) : await attempt(q, briefingId, v, encoder);
      if (info) return info;
      if (n === MAX_ATTEMPTS) throw new Error(`a version of ${briefingId} lost its number to another process ${MAX_ATTEMPTS} times`);
      // SQLite: another process on the file won. A random pause breaks the lockstep of two
      // recorders that plan together and would otherwise keep colliding.
      await sleep(Math.random() * 10 * n);
    }
  };

  const queues = new Map<string, Promise<unknown>>();
  const record = (briefingId: string, v: NewVersion, encoder: VersionEncoder = inProcessEncoder): Promise<VersionInfo> => {
    const run = () => recordOnce(briefingId, v, encoder);
    const next = (queues.get(briefingId) ?? Promise.resolve()).then(run, run);
    queues.set(briefingId, next);
    next
      .finally(() => {
        if (queues.get(briefingId) === next) queues.delete(briefingId);
      })
      .catch(() => {});
    return next;
  };

  /**
   * The Yjs updates that rebuild version `to`, starting from the full row at or before `from`:
   * applied to one Y.Doc with gc off, the document holds both versions' content. Null when a
   * version is missing. Throws StoredDocumentCorruptError for a damaged row.
   */
  const updates = async (briefingId: string, to: number, from: number): Promise<Uint8Array[] | null> => {
    const start = await q.fullAtOrBefore(briefingId, Math.min(from, to));
    if (start === null || !(await q.one(briefingId, to))) return null;
    return (await q.chain(briefingId, start, to)).map((row) => unpack(briefingId, row));
  };

  return {
    dialect: q.dialect,
    /** Records a version; resolves once its row is stored. */
    record,
    list: (briefingId: string): Promise<VersionInfo[]> => q.list(briefingId),
    get: async (briefingId: string, seq: number): Promise<VersionInfo | null> => (await q.one(briefingId, seq)) ?? null,
    /** Versions newer than `seq`, oldest first. */
    after: (briefingId: string, seq: number): Promise<VersionInfo[]> => q.after(briefingId, seq),
    latestSeq: (briefingId: string): Promise<number> => q.latestSeq(briefingId),
    /** When the newest version was taken, in ms (0: none). */
    lastAt: (briefingId: string): Promise<number> => q.lastAt(briefingId),
    storedBytes: (briefingId: string): Promise<number> => q.storedBytes(briefingId),
    updates,
    /** Each stored row from `from` to `to` with its number, unpacked (a delta or a full state; each carries its moment's delete set). */
    rows: async (briefingId: string, from: number, to: number): Promise<{ seq: number; update: Uint8Array }[]> =>
      (await q.chain(briefingId, from, to)).map((row) => ({ seq: row.seq, update: unpack(briefingId, row) })),
    /** The last full row at or before `seq` (where a rebuild of `seq` starts), or null. */
    fullSeq: (briefingId: string, seq: number): Promise<number | null> => q.fullAtOrBefore(briefingId, seq),
    /** The full state of version `seq` as one update, or null when there is none. */
    async state(briefingId: string, seq: number): Promise<Uint8Array | null> {
      const chain = await updates(briefingId, seq, seq);
      return chain ? Y.mergeUpdates(chain) : null;
    },
  };
}

export type VersionStore = ReturnType<typeof versionStoreOver>;
