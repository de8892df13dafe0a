import { boolean, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { VERSION_KINDS } from "../../schema/history";
import { briefings } from "./briefings";
import { bytea, int8, ms } from "./columns";
import { users } from "./users";

export const documentVersions = pgTable(
  "document_versions",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: VERSION_KINDS }).notNull(),
    name: text("name"),
    authors: jsonb("authors").$type<string[]>().notNull().default([]),
    clients: jsonb("clients").$type<Record<string, string>>().notNull().default({}),
    changeBytes: int8("change_bytes").notNull().default(0),
    isFull: boolean("is_full").notNull(),
    compressed: boolean("compressed").notNull().default(false),
    state: bytea("state").notNull(),
    stateVector: bytea("state_vector"),
    checksum: int8("checksum"),
    finalVersion: integer("final_version"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("document_versions_briefing_seq_idx").on(t.briefingId, t.seq)],
);

export const historyReads = pgTable(
  "history_reads",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    stateVector: bytea("state_vector").notNull(),
    deleteSet: bytea("delete_set"),
    readAt: ms("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.userId] })],
);
