import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { briefings } from "./briefings";
import { commentThreads } from "./comments";
import { users } from "./users";

/**
 * A proposed change to the briefing body, kept outside the document so that a commenter never
 * writes it (docs/decisions/0504). `kind` says what the anchor names: `text` is a range of one
 * text run (start and end Yjs relative positions, equal for an insertion at a caret);
 * `topicTitle` is the `title` attribute of the agenda topic both positions point at.
 */
export const suggestions = sqliteTable(
  "suggestions",
  {
    id: text("id").primaryKey(),
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["text", "topicTitle"] }).notNull(),
    anchorStart: blob("anchor_start", { mode: "buffer" }).notNull(),
    anchorEnd: blob("anchor_end", { mode: "buffer" }).notNull(),
    /** The text between the anchors when the suggestion was made ("" for an insertion). */
    originalText: text("original_text").notNull(),
    /** What replaces it ("" for a deletion). */
    replacement: text("replacement").notNull(),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    status: text("status", { enum: ["open", "accepted", "rejected"] })
      .notNull()
      .default("open"),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    rejectedBy: text("rejected_by").references(() => users.id, { onDelete: "set null" }),
    rejectedAt: integer("rejected_at", { mode: "timestamp_ms" }),
    /** The discussion of the suggestion, opened by its first reply. */
    threadId: text("thread_id").references(() => commentThreads.id, { onDelete: "set null" }),
  },
  (t) => [index("suggestions_briefing_idx").on(t.briefingId, t.status)],
);

export type Suggestion = typeof suggestions.$inferSelect;
