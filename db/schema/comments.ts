import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { briefings } from "./briefings";
import { users } from "./users";

/**
 * A thread anchors to a range of the briefing body with two Yjs relative positions (encoded
 * with Y.encodeRelativePosition), so commenting needs no write access to the document.
 */
export const commentThreads = sqliteTable(
  "comment_threads",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    anchorStart: blob("anchor_start", { mode: "buffer" }).notNull(),
    anchorEnd: blob("anchor_end", { mode: "buffer" }).notNull(),
    /** The text the thread was opened on, kept so a detached thread still shows it. */
    quotedText: text("quoted_text").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    resolvedBy: text("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("comment_threads_briefing_idx").on(t.briefingId)],
);

export const comments = sqliteTable(
  "comments",
  {
    id: text("id").primaryKey(),
    threadId: text("thread_id")
      .notNull()
      .references(() => commentThreads.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    /** JSON array of mentioned user ids, validated against the team. */
    mentions: text("mentions", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    editedAt: integer("edited_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("comments_thread_idx").on(t.threadId, t.createdAt)],
);

export type CommentThread = typeof commentThreads.$inferSelect;
export type Comment = typeof comments.$inferSelect;
