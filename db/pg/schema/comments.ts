import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { briefings } from "./briefings";
import { bytea, ms } from "./columns";
import { users } from "./users";

export const commentThreads = pgTable(
  "comment_threads",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    anchorStart: bytea("anchor_start").notNull(),
    anchorEnd: bytea("anchor_end").notNull(),
    quotedText: text("quoted_text").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
    resolvedBy: text("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: ms("resolved_at"),
  },
  (t) => [index("comment_threads_briefing_idx").on(t.briefingId)],
);

export const comments = pgTable(
  "comments",
  {
    id: text("id").primaryKey(),
    threadId: text("thread_id")
      .notNull()
      .references(() => commentThreads.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    mentions: jsonb("mentions").$type<string[]>().notNull().default([]),
    createdAt: ms("created_at").notNull(),
    editedAt: ms("edited_at"),
  },
  (t) => [index("comments_thread_idx").on(t.threadId, t.createdAt)],
);
