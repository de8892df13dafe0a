import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { teams } from "./teams";
import { users } from "./users";

import { BRIEFING_STATUSES } from "../enums";

export { BRIEFING_STATUSES, CLASSIFICATIONS, type BriefingStatus, type Classification } from "../enums";

export const briefings = sqliteTable(
  "briefings",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    summitName: text("summit_name").notNull(),
    city: text("city").notNull(),
    /** ISO dates (YYYY-MM-DD). */
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    /**
     * The brief's minimum level (a level name of the team). What it is marked with is the higher of
     * this and its highest portion mark (ADR 0406).
     */
    classification: text("classification").notNull(),
    status: text("status", { enum: BRIEFING_STATUSES }).notNull().default("draft"),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    lastEditedBy: text("last_edited_by").references(() => users.id, { onDelete: "set null" }),
    lastEditedAt: integer("last_edited_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * Set once the first Yjs state of the briefing is stored: a briefing with content whose
     * snapshot and log are both missing is corrupt, not empty.
     */
    hasContent: integer("has_content", { mode: "boolean" }).notNull().default(false),
    /** Offered under New briefing as a starting structure for the team's next brief. */
    isTemplate: integer("is_template", { mode: "boolean" }).notNull().default(false),
    /**
     * The distinct portion marks in the stored body (JSON array of level names), written by the
     * projection after each change; with the team's levels and `classification` it gives the
     * level the briefings list shows without reading the document.
     */
    portionMarks: text("portion_marks", { mode: "json" }).$type<string[]>().notNull().default([]),
  },
  (t) => [index("briefings_team_idx").on(t.teamId, t.lastEditedAt)],
);

/** Frozen copies recorded when a briefing is finalized; viewable and exportable later. */
export const briefingVersions = sqliteTable(
  "briefing_versions",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Y.encodeStateAsUpdate of the document at finalization. */
    snapshot: blob("snapshot", { mode: "buffer" }).notNull(),
    contentHash: text("content_hash").notNull(),
    title: text("title").notNull(),
    /**
     * The briefing fields at finalization (summit, city, dates, classification) as JSON: the hash
     * covers them, so a later export of this version prints them as they were.
     */
    details: text("details", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  // One row per number and briefing (migration 0011): finalizing takes the next number under the
  // status write's lock (ADR 0509), and the database refuses a second row should a writer not.
  (t) => [uniqueIndex("briefing_versions_briefing_version_idx").on(t.briefingId, t.version)],
);

/**
 * Each change of a briefing's minimum level, with its reason: a marking version, separate from the
 * content versions, so reclassifying a final brief changes neither its text nor its hash.
 */
export const briefingMarkings = sqliteTable(
  "briefing_markings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    /** 1, 2, … per briefing. */
    version: integer("version").notNull(),
    fromLevel: text("from_level").notNull(),
    toLevel: text("to_level").notNull(),
    reason: text("reason").notNull(),
    /** The briefing's status when it was reclassified (a final brief can be). */
    status: text("status", { enum: BRIEFING_STATUSES }).notNull(),
    changedBy: text("changed_by").references(() => users.id, { onDelete: "set null" }),
    /** A copy of who it was, readable after the account is gone. */
    changedByName: text("changed_by_name").notNull(),
    changedAt: integer("changed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("briefing_markings_briefing_idx").on(t.briefingId, t.version)],
);

export type Briefing = typeof briefings.$inferSelect;
export type BriefingMarking = typeof briefingMarkings.$inferSelect;
export type BriefingVersion = typeof briefingVersions.$inferSelect;
