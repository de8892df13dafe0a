import { storedChecksum } from "./checksum";
import { writeTransaction, type Db } from "./client";

/** Rows checksummed per transaction: short write transactions, so a big database never holds the lock for long. */
export const BACKFILL_BATCH_ROWS = 500;

export interface BackfillResult {
  snapshots: number;
  updates: number;
  /** Final versions copied into the history by migration 0006. */
  versions: number;
}

/**
 * Computes the CRC-32 of every stored Yjs row written before checksums existed (migration 0003
 * added the columns as NULL). Runs once per start, after the migrations and before the server
 * listens, so that from then on a NULL checksum on load means a row written around the store and
 * is refused like a mismatch. Walks each table once in rowid order; a database with nothing to fill
 * costs one scan of each table (checksum is not indexed), a few milliseconds for thousands of rows.
 */
export function backfillChecksums(db: Db, batchRows = BACKFILL_BATCH_ROWS): BackfillResult {
  const sqlite = db.$client;
  const fill = (table: "document_snapshots" | "document_updates" | "document_versions", column: "state" | "update"): number => {
    // From the last rowid seen, so each batch continues the scan instead of starting it again.
    // `as rid`: SQLite names a selected rowid after its alias column (`id` in document_updates).
    const select = sqlite.prepare<[number, number], { rid: number; bytes: Buffer }>(
      `select rowid as rid, "${column}" as bytes from ${table} where rowid > ? and checksum is null order by rowid limit ?`,
    );
    const set = sqlite.prepare<[number, number]>(`update ${table} set checksum = ? where rowid = ?`);
    let after = 0;
    const batch = writeTransaction(sqlite, () => {
      const rows = select.all(after, batchRows);
      for (const row of rows) set.run(storedChecksum(row.bytes), row.rid);
      if (rows.length > 0) after = rows[rows.length - 1].rid;
      return rows.length;
    });
    let total = 0;
    for (let n = batch(); n > 0; n = batch()) total += n;
    return total;
  };
  return {
    snapshots: fill("document_snapshots", "state"),
    updates: fill("document_updates", "update"),
    versions: fill("document_versions", "state"),
  };
}
