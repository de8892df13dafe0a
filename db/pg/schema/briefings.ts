import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { BRIEFING_STATUSES } from "../../enums";
import { bytea, ms } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

export const briefings = pgTable(
  "briefings",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    summitName: text("summit_name").notNull(),
    city: text("city").notNull(),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    classification: text("classification").notNull(),
    status: text("status", { enum: BRIEFING_STATUSES }).notNull().default("draft"),
    archivedAt: ms("archived_at"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    lastEditedBy: text("last_edited_by").references(() => users.id, { onDelete: "set null" }),
    lastEditedAt: ms("last_edited_at").notNull(),
    hasContent: boolean("has_content").notNull().default(false),
    isTemplate: boolean("is_template").notNull().default(false),
    portionMarks: jsonb("portion_marks").$type<string[]>().notNull().default([]),
  },
  (t) => [index("briefings_team_idx").on(t.teamId, t.lastEditedAt)],
);

export const briefingVersions = pgTable(
  "briefing_versions",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    snapshot: bytea("snapshot").notNull(),
    contentHash: text("content_hash").notNull(),
    title: text("title").notNull(),
    details: jsonb("details").$type<Record<string, string>>().notNull().default({}),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("briefing_versions_briefing_version_idx").on(t.briefingId, t.version)],
);

export const briefingMarkings = pgTable(
  "briefing_markings",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    fromLevel: text("from_level").notNull(),
    toLevel: text("to_level").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: BRIEFING_STATUSES }).notNull(),
    changedBy: text("changed_by").references(() => users.id, { onDelete: "set null" }),
    changedByName: text("changed_by_name").notNull(),
    changedAt: ms("changed_at").notNull(),
  },
  (t) => [index("briefing_markings_briefing_idx").on(t.briefingId, t.version)],
);
