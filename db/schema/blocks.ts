import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { briefings } from "./briefings";
import { teams } from "./teams";
import { users } from "./users";

/**
 * Projections of the structured blocks in each briefing's Y.Doc, keyed by the block id stored in
 * the node's `blockId` attribute. Rewritten by server/persistence/projection.ts; never edited directly.
 */
export const quotes = sqliteTable(
  "quotes",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    blockId: text("block_id").notNull(),
    teamId: text("team_id").notNull(),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    speaker: text("speaker").notNull(),
    speakerRole: text("speaker_role").notNull(),
    country: text("country").notNull(),
    date: text("date").notNull(),
    source: text("source").notNull(),
    lang: text("lang").notNull(),
    translation: text("translation").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.briefingId, t.blockId] }),
    index("quotes_team_speaker_idx").on(t.teamId, t.speaker),
    index("quotes_team_country_idx").on(t.teamId, t.country),
  ],
);

export const agendaTopics = sqliteTable(
  "agenda_topics",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    blockId: text("block_id").notNull(),
    teamId: text("team_id").notNull(),
    /** 1-based number in document order. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    priority: text("priority").notNull(),
    status: text("status").notNull(),
    owner: text("owner").notNull(),
    body: text("body").notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.blockId] })],
);

export const countryFacts = sqliteTable(
  "country_facts",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    blockId: text("block_id").notNull(),
    teamId: text("team_id").notNull(),
    position: integer("position").notNull(),
    country: text("country").notNull(),
    label: text("label").notNull(),
    value: text("value").notNull(),
    unit: text("unit").notNull(),
    asOf: text("as_of").notNull(),
    source: text("source").notNull(),
    libraryFactId: text("library_fact_id"),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.blockId] }), index("country_facts_team_idx").on(t.teamId, t.country)],
);

/** The team's reusable country facts; briefing blocks may link back with `libraryFactId`. */
export const factLibrary = sqliteTable(
  "fact_library",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    country: text("country").notNull(),
    label: text("label").notNull(),
    value: text("value").notNull(),
    unit: text("unit").notNull().default(""),
    asOf: text("as_of").notNull(),
    source: text("source").notNull(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("fact_library_team_idx").on(t.teamId, t.country)],
);

/** Plain text of each briefing for search; an FTS5 index over it is created in a migration. */
export const briefingTexts = sqliteTable("briefing_texts", {
  briefingId: text("briefing_id")
    .primaryKey()
    .references(() => briefings.id, { onDelete: "cascade" }),
  body: text("body").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export type Quote = typeof quotes.$inferSelect;
export type AgendaTopicRow = typeof agendaTopics.$inferSelect;
export type CountryFactRow = typeof countryFacts.$inferSelect;
export type LibraryFact = typeof factLibrary.$inferSelect;
