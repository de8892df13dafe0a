import { and, eq } from "drizzle-orm";
import { exec, first, type Store } from "../../db/store";

/**
 * What each person last saw of a briefing (`history_reads`, docs/decisions/0112): Drizzle builders
 * over the Store, the same code on SQLite and PostgreSQL (ADR 0111).
 */
export interface ReadMark {
  seq: number;
  stateVector: Buffer;
  deleteSet: Buffer | null;
  readAt: Date;
}

export async function getReadMark(store: Store, briefingId: string, userId: string): Promise<ReadMark | undefined> {
  return first(
    await exec(store, (db, t) =>
      db
        .select({ seq: t.historyReads.seq, stateVector: t.historyReads.stateVector, deleteSet: t.historyReads.deleteSet, readAt: t.historyReads.readAt })
        .from(t.historyReads)
        .where(and(eq(t.historyReads.briefingId, briefingId), eq(t.historyReads.userId, userId)))
        .limit(1),
    ),
  );
}

export async function setReadMark(store: Store, briefingId: string, userId: string, mark: ReadMark): Promise<void> {
  await exec(store, (db, t) =>
    db
      .insert(t.historyReads)
      .values({ briefingId, userId, ...mark })
      .onConflictDoUpdate({ target: [t.historyReads.briefingId, t.historyReads.userId], set: mark }),
  );
}

/** Whether the briefing still exists (a deleted one's room unloads too, with no history left to add to). */
export async function briefingExists(store: Store, briefingId: string): Promise<boolean> {
  return first(await exec(store, (db, t) => db.select({ id: t.briefings.id }).from(t.briefings).where(eq(t.briefings.id, briefingId)).limit(1))) !== undefined;
}
