import type pg from "pg";
import * as Y from "yjs";
import { storedChecksum } from "../../db/checksum";
import type { PgDb } from "../../db/pg/client";
import { inPoolTransaction } from "../../db/pg/pool-transaction";
import { StoredDocumentCorruptError } from "./corruption";
import { DocumentWriteRefusedError, type DocumentStore } from "./document-store";

/**
 * First key of the advisory lock one briefing's compactions (and its first body) take; the second is
 * `hashtext(briefing_id)`. Fixed in ADR 0111: another tool that writes snapshots must take the same.
 */
export const COMPACTION_LOCK_KEY = 0x5d01;

export interface PgStoreOptions {
  /** Told about every refused load or compaction (before it throws), as on SQLite. */
  onCorrupt?(err: StoredDocumentCorruptError): void;
}

/** Row identity `xmin` changes with every write of the snapshot row: it says whether another compaction ran. */
type SnapshotRow = { state: Buffer; checksum: string | null; version: string };
type LogRow = { id: string; update: Buffer; checksum: string | null };
type Stored = { snapshot: SnapshotRow | undefined; log: LogRow[]; hasContent: boolean };

const SNAPSHOT = "select state, checksum, xmin::text as version from document_snapshots where briefing_id = $1";
const LOG = 'select id, "update", checksum from document_updates where briefing_id = $1 order by id';

/**
 * The PostgreSQL document store (ADR 0111 step 4): the SQLite store's semantics — same rows, CRC-32
 * per blob (0105), same refusals and errors — for several instances writing one database (0109).
 *
 * - `load` reads the snapshot and every log row of the briefing, in id order, from one repeatable
 *   read snapshot. Not `id > last_update_id`: a compaction may leave rows with lower ids behind
 *   (below), and applying an update the snapshot already holds is a no-op in Yjs.
 * - `append` is one multi-row insert plus the "last edited" write, without a lock.
 * - `compact` merges the stored snapshot and log into the room's state and writes it under
 *   `pg_advisory_xact_lock(COMPACTION_LOCK_KEY, hashtext(briefing_id))`, deleting exactly the ids
 *   it merged (`id = any($2)`). Identity ids are handed out at insert, not at commit: an append
 *   with a lower id can commit after the rows were read, and `id <= max` would delete it unmerged.
 *
 * Where the Yjs work happens (ADR 0115): the rows are read and merged before the lock is taken, so
 * no instance encodes a document while holding it. Under the lock the compaction checks that the
 * snapshot row is the one it merged (its `xmin`); rows appended since stay in the log for the next
 * compaction. Only when another instance compacted in between is the merge redone under the lock.
 */
export function createPgDocumentStore(db: PgDb | pg.Pool, options: PgStoreOptions = {}): DocumentStore {
  const pool: pg.Pool = "$client" in db ? db.$client : db;

  const refuse = (err: StoredDocumentCorruptError): never => {
    options.onCorrupt?.(err);
    throw err;
  };

  /** Throws (after telling onCorrupt) on the first row whose checksum does not match, as SQLite does. */
  const verify = (briefingId: string, { snapshot, log }: Pick<Stored, "snapshot" | "log">): void => {
    if (snapshot && !matches(snapshot.checksum, snapshot.state)) {
      refuse(new StoredDocumentCorruptError(briefingId, "snapshot", mismatch(snapshot.checksum, snapshot.state)));
    }
    for (const row of log) {
      if (!matches(row.checksum, row.update)) {
        refuse(new StoredDocumentCorruptError(briefingId, "log", `update row ${row.id}: ${mismatch(row.checksum, row.update)}`));
      }
    }
  };

  /** Snapshot, log and flag from one commit: a compaction committing between two reads would hide rows. */
  const read = (briefingId: string): Promise<Stored> =>
    inPoolTransaction(pool, async (c) => {
      const snapshot = (await c.query<SnapshotRow>(SNAPSHOT, [briefingId])).rows[0];
      const log = (await c.query<LogRow>(LOG, [briefingId])).rows;
      const flag = (await c.query<{ has_content: boolean }>("select has_content from briefings where id = $1", [briefingId])).rows[0];
      return { snapshot, log, hasContent: flag?.has_content === true };
    }, "begin isolation level repeatable read read only");

  /** The bytes to store: `state` merged with every stored row (the stored rows first, as on SQLite). */
  const merge = (stored: Pick<Stored, "snapshot" | "log">, state: Uint8Array): Buffer => {
    const rows: Uint8Array[] = [];
    if (stored.snapshot) rows.push(stored.snapshot.state);
    for (const row of stored.log) rows.push(row.update);
    return toBuffer(rows.length === 0 ? state : Y.mergeUpdates([...rows, state]));
  };

  const upsertSnapshot = async (c: pg.PoolClient, briefingId: string, bytes: Buffer, lastUpdateId: number) => {
    await c.query(
      `insert into document_snapshots (briefing_id, state, last_update_id, checksum, updated_at) values ($1, $2, $3, $4, $5)
       on conflict (briefing_id) do update set state = excluded.state, last_update_id = excluded.last_update_id,
         checksum = excluded.checksum, updated_at = excluded.updated_at`,
      [briefingId, bytes, lastUpdateId, storedChecksum(bytes), new Date()],
    );
  };

  const markContent = (c: pg.PoolClient, briefingId: string) =>
    c.query("update briefings set has_content = true where id = $1 and has_content = false", [briefingId]);

  const lock = (c: pg.PoolClient, briefingId: string) =>
    c.query("select pg_advisory_xact_lock($1, hashtext($2))", [COMPACTION_LOCK_KEY, briefingId]);

  return {
    async exists(briefingId) {
      return (await pool.query("select 1 from briefings where id = $1", [briefingId])).rowCount !== 0;
    },

    async load(briefingId) {
      const { snapshot, log, hasContent } = await read(briefingId);
      verify(briefingId, { snapshot, log });
      if (hasContent && !snapshot && log.length === 0) {
        refuse(new StoredDocumentCorruptError(briefingId, "missing", "the briefing has content but no snapshot or update rows"));
      }
      const updates: Uint8Array[] = [];
      // Views of the buffers node-postgres decoded, not copies: a 50-page brief's snapshot is ~0.5 MB.
      const view = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      if (snapshot) updates.push(view(snapshot.state));
      for (const row of log) updates.push(view(row.update));
      return { updates, logLength: log.length, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
    },

    async create(briefingId, state) {
      const bytes = toBuffer(state);
      await inPoolTransaction(pool, async (c) => {
        // The compaction lock: a compaction cannot slip a snapshot in between the check and the write.
        await lock(c, briefingId);
        if ((await c.query("select 1 from briefings where id = $1", [briefingId])).rowCount === 0) {
          throw new DocumentWriteRefusedError(briefingId, "the briefing does not exist");
        }
        const stored = await c.query(
          "select 1 from document_snapshots where briefing_id = $1 union all select 1 from document_updates where briefing_id = $1 limit 1",
          [briefingId],
        );
        if (stored.rowCount !== 0) throw new DocumentWriteRefusedError(briefingId, "the briefing already has a stored document");
        await upsertSnapshot(c, briefingId, bytes, 0);
        await markContent(c, briefingId);
      });
    },

    async append(briefingId, updates) {
      if (updates.length === 0) return;
      const blobs = updates.map((u) => toBuffer(u.update));
      const last = updates[updates.length - 1];
      await inPoolTransaction(pool, async (c) => {
        // One statement for the whole flush; `with ordinality` keeps the ids in the updates' order.
        await c.query(
          `insert into document_updates (briefing_id, "update", user_id, checksum, created_at)
           select $1, u.bytes, u.user_id, u.checksum, u.created_at
           from unnest($2::bytea[], $3::text[], $4::bigint[], $5::timestamptz[]) with ordinality as u(bytes, user_id, checksum, created_at, n)
           order by u.n`,
          [briefingId, blobs, updates.map((u) => u.userId), blobs.map(storedChecksum), updates.map((u) => u.receivedAt)],
        );
        // One "last edited" write per flush, credited to the author of the newest update; has_content
        // in the same transaction as the first row.
        await c.query("update briefings set last_edited_at = $1, last_edited_by = $2, has_content = true where id = $3", [
          last.receivedAt,
          last.userId,
          briefingId,
        ]);
      });
    },

    async compact(briefingId, state) {
      // Read and merge with no lock held: the Yjs work is the slow part, and it needs no lock.
      const before = await read(briefingId);
      verify(briefingId, before);
      let bytes = merge(before, state);
      let ids = before.log.map((r) => Number(r.id));

      await inPoolTransaction(pool, async (c) => {
        await lock(c, briefingId);
        const now = (await c.query<{ version: string }>("select xmin::text as version from document_snapshots where briefing_id = $1", [briefingId])).rows[0];
        if (now?.version !== before.snapshot?.version) {
          // Another instance compacted after our read: its snapshot holds rows we never read (and it
          // deleted some we did). Merge what is stored now, under the lock; this is the rare path.
          const snapshot = (await c.query<SnapshotRow>(SNAPSHOT, [briefingId])).rows[0];
          const log = (await c.query<LogRow>(LOG, [briefingId])).rows;
          verify(briefingId, { snapshot, log });
          bytes = merge({ snapshot, log }, state);
          ids = log.map((r) => Number(r.id));
        }
        // A loop, not Math.max(...ids): a long log would overflow the argument list.
        await upsertSnapshot(c, briefingId, bytes, ids.reduce((max, n) => (n > max ? n : max), 0));
        // Exactly the rows merged: a row committed since (even with a lower id) stays for the next one.
        if (ids.length > 0) await c.query("delete from document_updates where briefing_id = $1 and id = any($2::bigint[])", [briefingId, ids]);
        await markContent(c, briefingId);
      });
    },
  };
}

/** node-postgres sends a Buffer as bytea; a view over the same memory, no copy. */
function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** `bigint` columns arrive as strings from node-postgres. */
function matches(stored: string | null, bytes: Buffer): boolean {
  return stored !== null && Number(stored) === storedChecksum(bytes);
}

/** The same wording as the SQLite store's, so logs read the same on both. */
function mismatch(stored: string | null, bytes: Buffer): string {
  if (stored === null) return "no checksum stored";
  return `checksum ${stored} stored, ${storedChecksum(bytes)} computed over ${bytes.byteLength} bytes`;
}
