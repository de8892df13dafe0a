import * as Y from "yjs";
import { storedChecksum } from "../../db/checksum";
import { writeTransaction, type Db } from "../../db/client";
import { StoredDocumentCorruptError } from "./corruption";

/** One Yjs update received from a client, waiting to be stored. */
export interface PendingUpdate {
  update: Uint8Array;
  userId: string | null;
  receivedAt: Date;
}

/** What a briefing's document is made of in storage: the snapshot first, then the log in order. */
export interface StoredDocument {
  /** Yjs updates to apply in order (snapshot, then every logged update). */
  updates: Uint8Array[];
  /** Number of rows in the update log (drives compaction). */
  logLength: number;
  /** Total stored bytes, an upper bound of the document's encoded size. */
  bytes: number;
}

/**
 * Where Yjs state lives. Small and asynchronous on purpose so a Postgres adapter is an added file,
 * not a rewrite (docs/decisions/0106). Callers never run two writes for one briefing at once: a
 * room's RoomPersistence serializes its appends and compactions.
 */
export interface DocumentStore {
  /** Whether the briefing row still exists (an update for a deleted briefing is dropped). */
  exists(briefingId: string): Promise<boolean>;
  /**
   * Reads and verifies the stored document. Rejects with StoredDocumentCorruptError when a row's
   * checksum does not match (or was never computed), or the briefing has content and no rows are left.
   */
  load(briefingId: string): Promise<StoredDocument>;
  /**
   * Stores the first body of a new briefing (its template or seed) as its snapshot and records that
   * it has content. Rejects when the briefing does not exist or already has stored state, so it can
   * never write over a document.
   */
  create(briefingId: string, state: Uint8Array): Promise<void>;
  /** Appends updates in one transaction and records who edited last. */
  append(briefingId: string, updates: readonly PendingUpdate[]): Promise<void>;
  /**
   * Replaces the snapshot with `state` and drops the log rows it covers, in one transaction that
   * also reads which rows those are, so no row the snapshot lacks is dropped. `state` must already
   * contain every logged update (the room's live document does: updates are applied before they
   * are queued for storage, and no append of the room runs while it compacts).
   */
  compact(briefingId: string, state: Uint8Array): Promise<void>;
}

export interface SqliteStoreOptions {
  /** Told about every refused load (before it throws), to log and count it once for all readers. */
  onCorrupt?(err: StoredDocumentCorruptError): void;
  /**
   * Other server instances write the same briefings (docs/decisions/0109). A room's state may then
   * lack a row another instance appended a moment ago (its update is still on the way), so a
   * compaction merges the stored snapshot and log into the state instead of trusting it alone.
   */
  shared?: boolean;
}

type SnapshotRow = { state: Buffer; checksum: number | null };
type LogRow = { id: number; update: Buffer; checksum: number | null };

/**
 * The SQLite store. Statements are prepared once: this runs on every group-commit tick, and
 * drizzle's query builder compiles a new statement per `.run()` (measured: 4.7 ms against 0.3 ms
 * for a one-update flush, on the event loop every tick).
 *
 * better-sqlite3 is synchronous: each method does its work in one synchronous transaction (never
 * an await inside one) and returns an already settled promise. The writing ones begin IMMEDIATE
 * (writeTransaction): the projection and history threads write to the same file.
 *
 * Every row written carries the CRC-32 of its blob and every load verifies it (docs/decisions/0105):
 * Yjs decodes many damaged blobs without an error and silently serves what it could read.
 */
export function createSqliteDocumentStore(db: Db, options: SqliteStoreOptions = {}): DocumentStore {
  const sqlite = db.$client;
  const q = {
    exists: sqlite.prepare<[string]>("select 1 from briefings where id = ?").pluck(),
    hasContent: sqlite.prepare<[string], number>("select has_content from briefings where id = ?").pluck(),
    snapshot: sqlite.prepare<[string], SnapshotRow>("select state, checksum from document_snapshots where briefing_id = ?"),
    log: sqlite.prepare<[string], LogRow>("select id, \"update\", checksum from document_updates where briefing_id = ? order by id"),
    insert: sqlite.prepare<[string, Buffer, string | null, number, number]>(
      "insert into document_updates (briefing_id, \"update\", user_id, checksum, created_at) values (?, ?, ?, ?, ?)",
    ),
    // has_content in the same statement: the flag and the first row commit together.
    touch: sqlite.prepare<[number, string | null, string]>(
      "update briefings set last_edited_at = ?, last_edited_by = ?, has_content = 1 where id = ?",
    ),
    markContent: sqlite.prepare<[string]>("update briefings set has_content = 1 where id = ? and has_content = 0"),
    lastLogId: sqlite.prepare<[string], number | null>("select max(id) from document_updates where briefing_id = ?").pluck(),
    upsertSnapshot: sqlite.prepare<[string, Buffer, number, number, number]>(
      `insert into document_snapshots (briefing_id, state, last_update_id, checksum, updated_at) values (?, ?, ?, ?, ?)
       on conflict(briefing_id) do update set state = excluded.state, last_update_id = excluded.last_update_id,
         checksum = excluded.checksum, updated_at = excluded.updated_at`,
    ),
    dropLog: sqlite.prepare<[string, number]>("delete from document_updates where briefing_id = ? and id <= ?"),
  };

  const append = writeTransaction(sqlite, (briefingId: string, updates: readonly PendingUpdate[]) => {
    for (const u of updates) {
      const bytes = Buffer.from(u.update);
      q.insert.run(briefingId, bytes, u.userId, storedChecksum(bytes), u.receivedAt.getTime());
    }
    // One "last edited" write per flush, credited to the author of the newest update.
    const last = updates[updates.length - 1];
    q.touch.run(last.receivedAt.getTime(), last.userId, briefingId);
  });

  const compact = writeTransaction(sqlite, (briefingId: string, state: Uint8Array) => {
    const lastUpdateId = q.lastLogId.get(briefingId) ?? 0;
    const bytes = Buffer.from(options.shared ? withStored(briefingId, state) : state);
    q.upsertSnapshot.run(briefingId, bytes, lastUpdateId, storedChecksum(bytes), Date.now());
    if (lastUpdateId > 0) q.dropLog.run(briefingId, lastUpdateId);
    q.markContent.run(briefingId);
  });

  const create = writeTransaction(sqlite, (briefingId: string, state: Uint8Array) => {
    if (q.exists.get(briefingId) === undefined) throw new DocumentWriteRefusedError(briefingId, "the briefing does not exist");
    if (q.snapshot.get(briefingId) || q.lastLogId.get(briefingId) !== null) {
      throw new DocumentWriteRefusedError(briefingId, "the briefing already has a stored document");
    }
    const bytes = Buffer.from(state);
    q.upsertSnapshot.run(briefingId, bytes, 0, storedChecksum(bytes), Date.now());
    q.markContent.run(briefingId);
  });

  const refuse = (err: StoredDocumentCorruptError): never => {
    options.onCorrupt?.(err);
    throw err;
  };

  /** `state` merged with every stored row, inside the compaction's transaction; a damaged row stops it. */
  const withStored = (briefingId: string, state: Uint8Array): Uint8Array => {
    const snapshot = q.snapshot.get(briefingId);
    const rows: Uint8Array[] = [];
    if (snapshot) {
      if (snapshot.checksum !== storedChecksum(snapshot.state)) refuse(new StoredDocumentCorruptError(briefingId, "snapshot", mismatch(snapshot.checksum, snapshot.state)));
      rows.push(snapshot.state);
    }
    for (const row of q.log.all(briefingId)) {
      if (row.checksum !== storedChecksum(row.update)) refuse(new StoredDocumentCorruptError(briefingId, "log", `update row ${row.id}: ${mismatch(row.checksum, row.update)}`));
      rows.push(row.update);
    }
    return rows.length === 0 ? state : Y.mergeUpdates([...rows, state]);
  };

  // One transaction so the snapshot, the log and the flag are read from the same commit.
  const read = sqlite.transaction((briefingId: string) => ({
    snapshot: q.snapshot.get(briefingId),
    log: q.log.all(briefingId),
    hasContent: q.hasContent.get(briefingId) === 1,
  }));

  return {
    exists: async (briefingId) => q.exists.get(briefingId) !== undefined,

    async load(briefingId) {
      const { snapshot, log, hasContent } = read(briefingId);
      if (snapshot && snapshot.checksum !== storedChecksum(snapshot.state)) {
        refuse(new StoredDocumentCorruptError(briefingId, "snapshot", mismatch(snapshot.checksum, snapshot.state)));
      }
      for (const row of log) {
        if (row.checksum !== storedChecksum(row.update)) {
          refuse(new StoredDocumentCorruptError(briefingId, "log", `update row ${row.id}: ${mismatch(row.checksum, row.update)}`));
        }
      }
      if (hasContent && !snapshot && log.length === 0) {
        refuse(new StoredDocumentCorruptError(briefingId, "missing", "the briefing has content but no snapshot or update rows"));
      }
      const updates: Uint8Array[] = [];
      // Views of the buffers SQLite returned, not copies: a 50-page brief's snapshot is ~0.5 MB.
      const view = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      if (snapshot) updates.push(view(snapshot.state));
      for (const row of log) updates.push(view(row.update));
      return { updates, logLength: log.length, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
    },

    async create(briefingId, state) {
      create(briefingId, state);
    },

    async append(briefingId, updates) {
      if (updates.length > 0) append(briefingId, updates);
    },

    async compact(briefingId, state) {
      compact(briefingId, state);
    },
  };
}

/** A first body for a briefing that is missing or already has one: a caller's mistake, never stored. */
export class DocumentWriteRefusedError extends Error {
  readonly code = "document_write_refused";
  constructor(
    readonly briefingId: string,
    readonly detail: string,
  ) {
    super(`refusing to store the first document of briefing ${briefingId}: ${detail}`);
    this.name = "DocumentWriteRefusedError";
  }
}

/** A null checksum after the start-up backfill means the row was written around the store. */
function mismatch(stored: number | null, bytes: Buffer): string {
  if (stored === null) return "no checksum stored";
  return `checksum ${stored} stored, ${storedChecksum(bytes)} computed over ${bytes.byteLength} bytes`;
}
