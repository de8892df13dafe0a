import { index, pgTable, text } from "drizzle-orm/pg-core";
import { briefings } from "./briefings";
import { bytea, ms } from "./columns";
import { commentThreads } from "./comments";
import { users } from "./users";

export const suggestions = pgTable(
  "suggestions",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["text", "topicTitle"] }).notNull(),
    anchorStart: bytea("anchor_start").notNull(),
    anchorEnd: bytea("anchor_end").notNull(),
    originalText: text("original_text").notNull(),
    replacement: text("replacement").notNull(),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
    status: text("status", { enum: ["open", "accepted", "rejected"] })
      .notNull()
      .default("open"),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: ms("accepted_at"),
    rejectedBy: text("rejected_by").references(() => users.id, { onDelete: "set null" }),
    rejectedAt: ms("rejected_at"),
    threadId: text("thread_id").references(() => commentThreads.id, { onDelete: "set null" }),
  },
  (t) => [index("suggestions_briefing_idx").on(t.briefingId, t.status)],
);
