import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

import { EXPORT_POLICIES, ROLES } from "../enums";

/** The migration's default, written out: UNCLASSIFIED (U), RESTRICTED (R), CONFIDENTIAL (C), SECRET (S). */
export const DEFAULT_LEVELS_JSON =
  '[{"name":"UNCLASSIFIED","abbr":"U"},{"name":"RESTRICTED","abbr":"R"},{"name":"CONFIDENTIAL","abbr":"C"},{"name":"SECRET","abbr":"S"}]';

export { EXPORT_POLICIES, ROLES, type ExportPolicy, type Role } from "../enums";

export const teams = sqliteTable("teams", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Who may export the team's briefings (PDF, Word, Markdown). */
  exportPolicy: text("export_policy", { enum: EXPORT_POLICIES }).notNull().default("everyone"),
  /**
   * The team's classification levels, lowest first, as JSON `[{ name, abbr }]`
   * (extensions/portion-mark/levels.ts reads it; unreadable text gives the defaults).
   */
  classificationLevels: text("classification_levels").notNull().default(DEFAULT_LEVELS_JSON),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

/**
 * An invitation link: a signed-in person who opens it joins with `role`, while it is neither
 * expired, revoked nor used up (`useCount` < `maxUses`; owner invitations are always single-use).
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedBy: text("revoked_by").references(() => users.id, { onDelete: "set null" }),
    /** How many people may join through this link. */
    maxUses: integer("max_uses").notNull().default(1),
    useCount: integer("use_count").notNull().default(0),
  },
  (t) => [index("invitations_team_idx").on(t.teamId)],
);

/** Who joined through which invitation, and when: the record of every accepted link. */
export const invitationUses = sqliteTable(
  "invitation_uses",
  {
    invitationId: text("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The role the person had before (null: not a member) and the role they have after. */
    previousRole: text("previous_role", { enum: ROLES }),
    role: text("role", { enum: ROLES }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.invitationId, t.userId] })],
);

export type Team = typeof teams.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type InvitationUse = typeof invitationUses.$inferSelect;
