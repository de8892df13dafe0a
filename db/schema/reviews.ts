import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { briefings } from "./briefings";
import { users } from "./users";

/**
 * The review a briefing is in: who sent it, by when it is due. One per briefing; sending it for
 * review again replaces it (and its approvers and decisions), so an old round's approvals never
 * clear a new one.
 */
export const reviews = sqliteTable("reviews", {
  briefingId: text("briefing_id")
    .primaryKey()
    .references(() => briefings.id, { onDelete: "cascade" }),
  requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
  requestedAt: integer("requested_at", { mode: "timestamp_ms" }).notNull(),
  /** YYYY-MM-DD, or null when no date was given. */
  dueDate: text("due_date"),
});

/** The team members named to approve the briefing. */
export const reviewApprovers = sqliteTable(
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

/**
 * One approver's decision on one section: `section` is "brief" (everything outside the agenda
 * topics) or an agenda topic's block id. `contentHash` is the server's hash of that section when
 * the decision was made; an edit that changes the hash resets an approval.
 */
export const reviewDecisions = sqliteTable(
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
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.userId, t.section] })],
);

/**
 * The clearance record of a final version: who approved what and when, and an owner's override
 * with its reason. Written with the version, never changed; the PDF and the versions page show it.
 */
export const clearanceRecords = sqliteTable(
  "clearance_records",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    record: text("record", { mode: "json" }).$type<ClearanceRecord>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.version] })],
);

export interface ClearanceEntry {
  approverName: string;
  /** "Whole brief" or "Topic 2: Energy". */
  section: string;
  decision: "approved" | "missing" | "changes_requested";
  /** Epoch milliseconds of the approval, null when missing. */
  at: number | null;
  note: string;
}

export interface ClearanceRecord {
  finalizedByName: string;
  finalizedAt: number;
  entries: ClearanceEntry[];
  override: { byName: string; reason: string } | null;
}

export const NOTIFICATION_KINDS = [
  "mentioned",
  "review_requested",
  "approval_reset",
  "approved_finalized",
  "review_due",
  "suggestion_accepted",
  "suggestion_rejected",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** In-app notifications, one row per recipient. `dedupeKey` keeps a computed reminder from repeating. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    briefingId: text("briefing_id").references(() => briefings.id, { onDelete: "cascade" }),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    dedupeKey: text("dedupe_key"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt), uniqueIndex("notifications_dedupe_idx").on(t.userId, t.dedupeKey)],
);

export type Notification = typeof notifications.$inferSelect;
export type ReviewDecision = typeof reviewDecisions.$inferSelect;
