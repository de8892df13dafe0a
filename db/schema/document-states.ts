import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { briefings } from "./briefings";

/**
 * Yjs persistence: one compacted snapshot per briefing plus an append-only log of the updates
 * received since. Loading = apply snapshot, then the log in id order.
 */
export const documentSnapshots = sqliteTable("document_snapshots", {
  briefingId: text("briefing_id")
    .primaryKey()
    .references(() => briefings.id, { onDelete: "cascade" }),
  /** Y.encodeStateAsUpdate of the document after compaction. */
  state: blob("state", { mode: "buffer" }).notNull(),
  /** Highest update-log id folded into `state`. */
  lastUpdateId: integer("last_update_id").notNull().default(0),
  /** CRC-32 of `state`, verified on every load; null only until the start-up backfill ran. */
  checksum: integer("checksum"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const documentUpdates = sqliteTable(
  "document_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    update: blob("update", { mode: "buffer" }).notNull(),
    userId: text("user_id"),
    /** CRC-32 of `update`, verified on every load; null only until the start-up backfill ran. */
    checksum: integer("checksum"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("document_updates_briefing_idx").on(t.briefingId, t.id)],
);
