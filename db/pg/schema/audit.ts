import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { int8, ms } from "./columns";

/** Append-only like the SQLite table: triggers in the hand-written migration refuse UPDATE and DELETE. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: int8("id").primaryKey().generatedByDefaultAsIdentity(),
    at: ms("at").notNull(),
    teamId: text("team_id"),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    briefingId: text("briefing_id"),
    target: text("target"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
  },
  (t) => [index("audit_events_team_idx").on(t.teamId, t.at), index("audit_events_actor_idx").on(t.actorId, t.at)],
);
