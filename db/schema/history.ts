import { blob, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { briefings } from "./briefings";
import { users } from "./users";

/** Why a version was taken: editing settled, a status change, a name given, a restore, or a final (migrated). */
export const VERSION_KINDS = ["auto", "status", "named", "restore", "final"] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/**
 * The history of a briefing's document (docs/decisions/0108). Each row is a Yjs update: either
 * the full state (`isFull`) or the delta from the previous row's state vector, deflated when
 * `compressed`. A version is rebuilt from the nearest full row at or before it plus the deltas up
 * to it; the live document never reads this table, so a join never replays history.
 */
export const documentVersions = sqliteTable(
  "document_versions",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    /** 1, 2, 3 … per briefing, in the order the versions were taken. */
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: VERSION_KINDS }).notNull(),
    name: text("name"),
    /** User ids of everyone whose changes are in this version and not in the previous one. */
    authors: text("authors", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Yjs client id → user id of the changes in this version, to colour a comparison by author. */
    clients: text("clients", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    /** Bytes of Yjs updates received since the previous version (the size of the change). */
    changeBytes: integer("change_bytes").notNull().default(0),
    isFull: integer("is_full", { mode: "boolean" }).notNull(),
    compressed: integer("compressed", { mode: "boolean" }).notNull().default(false),
    state: blob("state", { mode: "buffer" }).notNull(),
    /** Y.encodeStateVector of the document at this version (null for migrated finals: derived from the state). */
    stateVector: blob("state_vector", { mode: "buffer" }),
    /** CRC-32 of `state` as stored, verified on every read. */
    checksum: integer("checksum"),
    /** The number in briefing_versions when this version is a final one. */
    finalVersion: integer("final_version"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("document_versions_briefing_seq_idx").on(t.briefingId, t.seq)],
);

/** What each person last saw of a briefing: the version and the document's state vector then. */
export const historyReads = sqliteTable(
  "history_reads",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    stateVector: blob("state_vector", { mode: "buffer" }).notNull(),
    /** The document's delete set then (an update with no structs), so "deleted since" is exact; null for marks taken before 0010. */
    deleteSet: blob("delete_set", { mode: "buffer" }),
    readAt: integer("read_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.userId] })],
);

export type DocumentVersion = typeof documentVersions.$inferSelect;
