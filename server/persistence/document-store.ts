import type { Db } from "../../db/client";

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
 * Where Yjs state lives. Small on purpose so a Postgres adapter is an added file, not a rewrite.
 * Methods are synchronous because better-sqlite3 is; an async adapter changes these signatures and
 * the few `await`-free call sites in server/collab/room.ts (see docs/decisions/0102).
 */
export interface DocumentStore {
  /** Whether the briefing row still exists (an update for a deleted briefing is dropped). */
  exists(briefingId: string): boolean;
  load(briefingId: string): StoredDocument;
  /** Appends updates in one transaction and records who edited last. */
  append(briefingId: string, updates: readonly PendingUpdate[]): void;
  /**
   * Replaces the snapshot with `state` and drops the log rows it covers. `state` must already
   * contain every logged update (the room's live document does: updates are applied before they
   * are queued for storage).
   */
  compact(briefingId: string, state: Uint8Array): void;
}

/**
 * The SQLite store. Statements are prepared once: this runs on every group-commit tick, and
 * drizzle's query builder compiles a new statement per `.run()` (measured: 4.7 ms against 0.3 ms
 * for a one-update flush, on the event loop every tick).
 */
export function createSqliteDocumentStore(db: Db): DocumentStore {
  const sqlite = db.$client;
  const q = {
    exists: sqlite.prepare<[string]>("select 1 from briefings where id = ?").pluck(),
    snapshot: sqlite.prepare<[string], { state: Buffer }>("select state from document_snapshots where briefing_id = ?"),
    log: sqlite.prepare<[string], Buffer>("select \"update\" from document_updates where briefing_id = ? order by id").pluck(),
    insert: sqlite.prepare<[string, Buffer, string | null, number]>(
      "insert into document_updates (briefing_id, \"update\", user_id, created_at) values (?, ?, ?, ?)",
    ),
    touch: sqlite.prepare<[number, string | null, string]>("update briefings set last_edited_at = ?, last_edited_by = ? where id = ?"),
    lastLogId: sqlite.prepare<[string], number | null>("select max(id) from document_updates where briefing_id = ?").pluck(),
    upsertSnapshot: sqlite.prepare<[string, Buffer, number, number]>(
      `insert into document_snapshots (briefing_id, state, last_update_id, updated_at) values (?, ?, ?, ?)
       on conflict(briefing_id) do update set state = excluded.state, last_update_id = excluded.last_update_id, updated_at = excluded.updated_at`,
    ),
    dropLog: sqlite.prepare<[string, number]>("delete from document_updates where briefing_id = ? and id <= ?"),
  };

  const append = sqlite.transaction((briefingId: string, updates: readonly PendingUpdate[]) => {
    for (const u of updates) q.insert.run(briefingId, Buffer.from(u.update), u.userId, u.receivedAt.getTime());
    // One "last edited" write per flush, credited to the author of the newest update.
    const last = updates[updates.length - 1];
    q.touch.run(last.receivedAt.getTime(), last.userId, briefingId);
  });

  const compact = sqlite.transaction((briefingId: string, state: Uint8Array) => {
    const lastUpdateId = q.lastLogId.get(briefingId) ?? 0;
    q.upsertSnapshot.run(briefingId, Buffer.from(state), lastUpdateId, Date.now());
    if (lastUpdateId > 0) q.dropLog.run(briefingId, lastUpdateId);
  });

  return {
    exists: (briefingId) => q.exists.get(briefingId) !== undefined,

    load(briefingId) {
      const snapshot = q.snapshot.get(briefingId);
      const log = q.log.all(briefingId);
      const updates: Uint8Array[] = [];
      // Views of the buffers SQLite returned, not copies: a 50-page brief's snapshot is ~0.5 MB.
      const view = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      if (snapshot) updates.push(view(snapshot.state));
      for (const row of log) updates.push(view(row));
      return { updates, logLength: log.length, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
    },

    append(briefingId, updates) {
      if (updates.length > 0) append(briefingId, updates);
    },

    compact: (briefingId, state) => compact(briefingId, state),
  };
}
