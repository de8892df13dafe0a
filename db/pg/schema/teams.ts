import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { EXPORT_POLICIES, ROLES } from "../../enums";
import { DEFAULT_LEVELS_JSON } from "../../schema/teams";
import { ms } from "./columns";
import { users } from "./users";

export const teams = pgTable("teams", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  exportPolicy: text("export_policy", { enum: EXPORT_POLICIES }).notNull().default("everyone"),
  /** Text, not jsonb, as in SQLite: levels.ts parses it and falls back to the defaults when unreadable. */
  classificationLevels: text("classification_levels").notNull().default(DEFAULT_LEVELS_JSON),
  createdAt: ms("created_at").notNull(),
});

export const memberships = pgTable(
  "memberships",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
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
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    revokedAt: ms("revoked_at"),
    revokedBy: text("revoked_by").references(() => users.id, { onDelete: "set null" }),
    maxUses: integer("max_uses").notNull().default(1),
    useCount: integer("use_count").notNull().default(0),
  },
  (t) => [index("invitations_team_idx").on(t.teamId)],
);

export const invitationUses = pgTable(
  "invitation_uses",
  {
    invitationId: text("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    previousRole: text("previous_role", { enum: ROLES }),
    role: text("role", { enum: ROLES }).notNull(),
    usedAt: ms("used_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.invitationId, t.userId] })],
);
