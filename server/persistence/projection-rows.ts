import type { agendaTopics, countryFacts, quotes } from "../../db/schema";

/**
 * What the SQLite and the PostgreSQL projection writers (projection-store.ts,
 * pg-projection-store.ts) share: the columns each block table holds, in statement order, and the
 * diff that decides which rows a projection writes. One definition, so the two dialects write the
 * same rows for the same projection.
 */

type Row<T extends { $inferInsert: unknown }> = Omit<T["$inferInsert"], "briefingId" | "teamId">;

/** One projected row of each block table, without the keys the writer adds. */
export type QuoteRow = Row<typeof quotes>;
export type TopicRow = Row<typeof agendaTopics>;
export type FactRow = Row<typeof countryFacts>;
export type Stored<T> = T & { teamId: string };

/** Column lists in statement order; the diff compares exactly these. */
export const QUOTE_COLS = ["position", "text", "speaker", "speakerRole", "country", "date", "source", "lang", "translation"] as const;
export const TOPIC_COLS = ["number", "title", "priority", "status", "owner", "body"] as const;
export const FACT_COLS = ["position", "country", "label", "value", "unit", "asOf", "source", "libraryFactId"] as const;

export const snake = (c: string) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

export interface Plan<T> {
  upserts: T[];
  deletes: string[];
}

/** The rows of `next` that are new or differ from `stored` (or moved team), and the stored ids gone from `next`. */
export function diff<T extends { blockId: string }>(next: T[], stored: Map<string, Stored<T>>, cols: readonly (keyof T)[], teamId: string): Plan<T> {
  const upserts = next.filter((row) => {
    const old = stored.get(row.blockId);
    return !old || old.teamId !== teamId || cols.some((c) => (old[c] ?? null) !== (row[c] ?? null));
  });
  const keep = new Set(next.map((r) => r.blockId));
  return { upserts, deletes: [...stored.keys()].filter((id) => !keep.has(id)) };
}
