import { customType, index, pgTable, text } from "drizzle-orm/pg-core";
import { briefings } from "./briefings";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The PostgreSQL counterpart of SQLite's FTS5 `briefing_search` (and its `briefing_search_keys`):
 * one row per briefing, found by primary key and removed with the briefing by the foreign key.
 * `title` and `body` are what the FTS5 row holds (the body with its Turkish folds, search-text.ts),
 * kept for snippets. `document` is built by db/dialect/pg/search.ts from the same text folded in JavaScript
 * (diacritics, ı/İ, case), so matching never depends on the server's locale or on `unaccent`.
 */
export const briefingSearch = pgTable(
  "briefing_search",
  {
    briefingId: text("briefing_id")
      .primaryKey()
      .references(() => briefings.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    document: tsvector("document").notNull(),
  },
  (t) => [index("briefing_search_document_idx").using("gin", t.document)],
);
