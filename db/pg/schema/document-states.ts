import { index, pgTable, text } from "drizzle-orm/pg-core";
import { briefings } from "./briefings";
import { bytea, int8, ms } from "./columns";

export const documentSnapshots = pgTable("document_snapshots", {
  briefingId: text("briefing_id")
    .primaryKey()
    .references(() => briefings.id, { onDelete: "cascade" }),
  state: bytea("state").notNull(),
  lastUpdateId: int8("last_update_id").notNull().default(0),
  checksum: int8("checksum"),
  updatedAt: ms("updated_at").notNull(),
});

export const documentUpdates = pgTable(
  "document_updates",
  {
    id: int8("id").primaryKey().generatedByDefaultAsIdentity(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    update: bytea("update").notNull(),
    userId: text("user_id"),
    checksum: int8("checksum"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("document_updates_briefing_idx").on(t.briefingId, t.id)],
);
