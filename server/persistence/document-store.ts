import { and, asc, eq, lte, max } from "drizzle-orm";
import type { Db } from "../../db/client";
import { touchBriefing } from "../../db/queries/briefings";
import { briefings, documentSnapshots, documentUpdates } from "../../db/schema";

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

export function createSqliteDocumentStore(db: Db): DocumentStore {
  return {
    exists(briefingId) {
      return db.select({ id: briefings.id }).from(briefings).where(eq(briefings.id, briefingId)).get() !== undefined;
    },

    load(briefingId) {
      const snapshot = db
        .select({ state: documentSnapshots.state, lastUpdateId: documentSnapshots.lastUpdateId })
        .from(documentSnapshots)
        .where(eq(documentSnapshots.briefingId, briefingId))
        .get();
      const log = db
        .select({ update: documentUpdates.update })
        .from(documentUpdates)
        .where(eq(documentUpdates.briefingId, briefingId))
        .orderBy(asc(documentUpdates.id))
        .all();
      const updates: Uint8Array[] = [];
      if (snapshot) updates.push(new Uint8Array(snapshot.state));
      for (const row of log) updates.push(new Uint8Array(row.update));
      return { updates, logLength: log.length, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
    },

    append(briefingId, updates) {
      if (updates.length === 0) return;
      db.transaction((tx) => {
        for (const u of updates) {
          tx.insert(documentUpdates)
            .values({ briefingId, update: Buffer.from(u.update), userId: u.userId, createdAt: u.receivedAt })
            .run();
        }
        // One "last edited" write per flush, credited to the author of the newest update.
        const last = updates[updates.length - 1];
        touchBriefing(tx as unknown as Db, briefingId, last.userId, last.receivedAt);
      });
    },

    compact(briefingId, state) {
      db.transaction((tx) => {
        const top = tx
          .select({ id: max(documentUpdates.id) })
          .from(documentUpdates)
          .where(eq(documentUpdates.briefingId, briefingId))
          .get();
        const lastUpdateId = top?.id ?? 0;
        const row = { state: Buffer.from(state), lastUpdateId, updatedAt: new Date() };
        tx.insert(documentSnapshots)
          .values({ briefingId, ...row })
          .onConflictDoUpdate({ target: documentSnapshots.briefingId, set: row })
          .run();
        if (lastUpdateId > 0) {
          tx.delete(documentUpdates)
            .where(and(eq(documentUpdates.briefingId, briefingId), lte(documentUpdates.id, lastUpdateId)))
            .run();
        }
      });
    },
  };
}
