import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The append-only record of security-relevant events (sign-ins, role changes, invitations,
 * exports, status changes, reclassification, restore, deletion).
 *
 * Rows carry copies of what they describe (the actor's email, the briefing's title) and no
 * foreign keys, so deleting a user, team or briefing never removes or rewrites its trail.
 * Triggers in the migration refuse UPDATE and DELETE: nothing in the app can change a row.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** Null for events outside a team (sign-in, sign-out). */
    teamId: text("team_id"),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    /** A dotted name such as `auth.sign_in`, `briefing.export`, `membership.role_change`. */
    action: text("action").notNull(),
    briefingId: text("briefing_id"),
    /** What the event was about when not the briefing: a user id, an invitation id, an email. */
    target: text("target"),
    /** Event-specific facts (format, version, content hash, old and new role, reason). */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** The client address the request came from, when there was a request. */
    ip: text("ip"),
  },
  (t) => [
    index("audit_events_team_idx").on(t.teamId, t.at),
    index("audit_events_actor_idx").on(t.actorId, t.at),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
