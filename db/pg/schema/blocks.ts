import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { briefings } from "./briefings";
import { ms } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

export const quotes = pgTable(
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

export const agendaTopics = pgTable(
  "agenda_topics",
  {
    briefingId: text("briefing_id")
      .notNull()
      .references(() => briefings.id, { onDelete: "cascade" }),
    blockId: text("block_id").notNull(),
    teamId: text("team_id").notNull(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    priority: text("priority").notNull(),
    status: text("status").notNull(),
    owner: text("owner").notNull(),
    body: text("body").notNull(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.blockId] })],
);

export const countryFacts = pgTable(
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

export const factLibrary = pgTable(
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
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("fact_library_team_idx").on(t.teamId, t.country)],
);

export const briefingTexts = pgTable("briefing_texts", {
  briefingId: text("briefing_id")
    .primaryKey()
    .references(() => briefings.id, { onDelete: "cascade" }),
  body: text("body").notNull(),
  updatedAt: ms("updated_at").notNull(),
});
