import { promisify } from "node:util";
import zlib from "node:zlib";
import * as Y from "yjs";
import { storedChecksum } from "../../db/checksum";
import type { Db } from "../../db/client";
import { newId } from "../../db/ids";
import type { VersionKind } from "../../db/schema";
import { StoredDocumentCorruptError } from "../persistence/corruption";

/** What a caller knows about a version it records; the store decides full state or delta. */
export interface NewVersion {
  kind: VersionKind;
  name: string | null;
  authors: string[];
  clients: Record<string, string>;
  changeBytes: number;
  /** Y.encodeStateAsUpdate of the document now. */
  state: Uint8Array;
  createdBy: string | null;
  finalVersion?: number | null;
}

/** One row of the history list (no state). */
export interface VersionInfo {
  seq: number;
  kind: VersionKind;
  name: string | null;
  authors: string[];
  clients: Record<string, string>;
  changeBytes: number;
  storedBytes: number;
  isFull: boolean;
  finalVersion: number | null;
  createdBy: string | null;
  createdAt: Date;
  stateVector: Uint8Array | null;
}

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
type LastRow = { seq: number; is_full: number; compressed: number; state: Buffer; state_vector: Buffer | null; checksum: number | null; full_seq: number | null };

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

/**
 * The history table (docs/decisions/0108). Each version is stored as a delta (Y.diffUpdate of the
 * full state against the previous version's state vector) except every `fullEvery`-th, which is
 * the full state; both deflated. A version is rebuilt from the last full row at or before it and
 * the deltas after that row, so a rebuild reads at most `fullEvery` rows.
 *
 * The payload is computed by a `VersionEncoder`: a history thread (pool.ts, docs/decisions/0110),
 * or on this thread with compression on libuv's pool (`inProcessEncoder`). Recording is serialized per briefing in this process, and the row is
 * inserted in an IMMEDIATE transaction that checks the number it planned is still the next one
 * (another process on the same file may have recorded meanwhile); if not, it plans again.
 */
const deflateRaw = promisify(zlib.deflateRaw);

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

export function createVersionStore(db: Db, fullEvery: number) {
  const sqlite = db.$client;
  const q = {
    last: sqlite.prepare<[string, string], LastRow>(
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
    totalBytes: sqlite.prepare<[string], number | null>("select sum(length(state)) from document_versions where briefing_id = ?").pluck(),
  };

  const unpack = (briefingId: string, row: { seq: number; compressed: number; state: Buffer; checksum: number | null }): Uint8Array => {
    if (row.checksum !== storedChecksum(row.state)) {
      throw new StoredDocumentCorruptError(briefingId, "history", `version ${row.seq}: checksum ${row.checksum ?? "missing"} does not match`);
    }
    return row.compressed ? zlib.inflateRawSync(row.state) : new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength);
  };

  /** The number and base of the next version, from the row before it. */
  const plan = (briefingId: string) => {
    const last = q.last.get(briefingId, briefingId);
    const seq = (last?.seq ?? 0) + 1;
    // A full state on the first version and once `fullEvery` versions followed the last full one.
    let prevVector: Uint8Array | null = null;
    if (last && last.full_seq !== null && seq - last.full_seq < fullEvery) {
      prevVector = last.state_vector ? new Uint8Array(last.state_vector) : Y.encodeStateVectorFromUpdate(unpack(briefingId, last));
    }
    return { seq, prevVector };
  };

  // IMMEDIATE: it reads the previous version and then writes, and the projection thread writes to
  // the same file; a deferred transaction would fail with SQLITE_BUSY instead of waiting its turn.
  const insert = sqlite.transaction((briefingId: string, v: NewVersion, seq: number, isFull: boolean, stored: Buffer, stateVector: Buffer): VersionInfo | null => {
    if ((q.last.get(briefingId, briefingId)?.seq ?? 0) + 1 !== seq) return null;
    q.insert.run(
      newId(),
      briefingId,
      seq,
      v.kind,
      v.name,
      JSON.stringify(v.authors),
      JSON.stringify(v.clients),
      v.changeBytes,
      isFull ? 1 : 0,
      stored,
      stateVector,
      storedChecksum(stored),
      v.finalVersion ?? null,
      v.createdBy,
      Date.now(),
    );
    return toInfo(q.one.get(briefingId, seq)!);
  });

  const recordOnce = async (briefingId: string, v: NewVersion, encoder: VersionEncoder): Promise<VersionInfo> => {
    for (let attempt = 1; ; attempt++) {
      const p = plan(briefingId);
      const encoded = await encoder.encode(briefingId, p.seq, v.state, p.prevVector);
      const info = insert.immediate(briefingId, v, p.seq, p.prevVector === null, Buffer.from(encoded.stored), Buffer.from(encoded.stateVector));
      if (info) return info;
      encoder.forget(briefingId, p.seq);
      if (attempt === 3) throw new Error(`version ${p.seq} of ${briefingId} was taken by another process three times`);
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
  const updates = (briefingId: string, to: number, from: number): Uint8Array[] | null => {
    const start = q.fullAtOrBefore.get(briefingId, Math.min(from, to));
    if (start === null || start === undefined || !q.one.get(briefingId, to)) return null;
    return q.chain.all(briefingId, start, to).map((row) => unpack(briefingId, row));
  };

  return {
    /** Records a version; resolves once its row is stored. */
    record,
    list: (briefingId: string): VersionInfo[] => q.list.all(briefingId).map(toInfo),
    get: (briefingId: string, seq: number): VersionInfo | null => {
      const row = q.one.get(briefingId, seq);
      return row ? toInfo(row) : null;
    },
    /** Versions newer than `seq`, oldest first. */
    after: (briefingId: string, seq: number): VersionInfo[] => q.after.all(briefingId, seq).map(toInfo),
    latestSeq: (briefingId: string): number => q.latestSeq.get(briefingId) ?? 0,
    storedBytes: (briefingId: string): number => q.totalBytes.get(briefingId) ?? 0,
    updates,
    /** Each stored row from `from` to `to` with its number, unpacked (a delta or a full state; each carries its moment's delete set). */
    rows: (briefingId: string, from: number, to: number): { seq: number; update: Uint8Array }[] =>
      q.chain.all(briefingId, from, to).map((row) => ({ seq: row.seq, update: unpack(briefingId, row) })),
    /** The last full row at or before `seq` (where a rebuild of `seq` starts), or null. */
    fullSeq: (briefingId: string, seq: number): number | null => q.fullAtOrBefore.get(briefingId, seq) ?? null,
    /** The full state of version `seq` as one update, or null when there is none. */
    state(briefingId: string, seq: number): Uint8Array | null {
      const chain = updates(briefingId, seq, seq);
      return chain ? Y.mergeUpdates(chain) : null;
    },
  };
}

export type VersionStore = ReturnType<typeof createVersionStore>;
