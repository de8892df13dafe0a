import { eq } from "drizzle-orm";
import { storedChecksum } from "../checksum";
import type { Db } from "../client";
import { briefings, documentSnapshots } from "../schema";

/**
 * Stores the first body of a new briefing (template, seed, fixtures). Every writer of
 * `document_snapshots` goes through here or through server/persistence/document-store.ts, so each
 * row carries its checksum and the briefing row records that it has content. Call it inside the
 * transaction that creates the briefing.
 */
export function insertInitialSnapshot(db: Db, briefingId: string, state: Uint8Array): void {
  const bytes = Buffer.from(state);
  db.insert(documentSnapshots).values({ briefingId, state: bytes, lastUpdateId: 0, checksum: storedChecksum(bytes), updatedAt: new Date() }).run();
  db.update(briefings).set({ hasContent: true }).where(eq(briefings.id, briefingId)).run();
}
