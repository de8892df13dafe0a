import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { NOTIFICATION_KINDS, type ClearanceRecord } from "../../schema/reviews";
import { briefings } from "./briefings";
import { ms } from "./columns";
import { users } from "./users";

export const reviews = pgTable("reviews", {
  briefingId: text("briefing_id")
    .primaryKey()
    .references(() => briefings.id, { onDelete: "cascade" }),
  requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
  requestedAt: ms("requested_at").notNull(),
  dueDate: text("due_date"),
});

export const reviewApprovers = pgTable(
  "review_approvers",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.userId] })],
);

export const reviewDecisions = pgTable(
  "review_decisions",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    section: text("section").notNull(),
    decision: text("decision", { enum: ["approved", "changes_requested"] }).notNull(),
    note: text("note").notNull().default(""),
    contentHash: text("content_hash").notNull(),
    decidedAt: ms("decided_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.userId, t.section] })],
);

export const clearanceRecords = pgTable(
  "clearance_records",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    record: jsonb("record").$type<ClearanceRecord>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.version] })],
);

export const notifications = pgTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    briefingId: text("briefing_id").references(() => briefings.id, { onDelete: "cascade" }),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ms("created_at").notNull(),
    readAt: ms("read_at"),
    dedupeKey: text("dedupe_key"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt), uniqueIndex("notifications_dedupe_idx").on(t.userId, t.dedupeKey)],
);
