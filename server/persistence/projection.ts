import type { JSONContent } from "@tiptap/core";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { and, eq, notInArray, sql } from "drizzle-orm";
import type * as Y from "yjs";
import type { Db } from "../../db/client";
import { agendaTopics, briefings, briefingTexts, countryFacts, quotes } from "../../db/schema";
import {
  COLLAB_FIELD,
  countryName,
  formatFactValue,
  getBriefingSchema,
  quoteAttribution,
  sanitizeAgendaTopicAttrs,
  sanitizeCountryFactAttrs,
  sanitizeQuoteAttrs,
} from "../../extensions";

type Row<T extends { $inferInsert: unknown }> = T["$inferInsert"];

/** What a briefing body projects to: one row per structured block, and its plain text. */
export interface Projection {
  quotes: Omit<Row<typeof quotes>, "briefingId" | "teamId">[];
  topics: Omit<Row<typeof agendaTopics>, "briefingId" | "teamId">[];
  facts: Omit<Row<typeof countryFacts>, "briefingId" | "teamId">[];
  /** The body as plain text, blocks separated by newlines (for search). */
  text: string;
  /** Blocks skipped because their id was missing or repeated (a client without the block-id plugin). */
  skipped: number;
}

const BLOCK_SEPARATED = new Set(["paragraph", "heading", "listItem", "codeBlock", "blockquote", "horizontalRule"]);

/** Plain text of a node: text runs joined, blocks on their own lines, block attributes spelled out. */
export function plainText(node: JSONContent): string {
  const out: string[] = [];
  const walk = (n: JSONContent) => {
    switch (n.type) {
      case "text":
        out.push(n.text ?? "");
        return;
      case "hardBreak":
        out.push("\n");
        return;
      case "countryFact": {
        const a = sanitizeCountryFactAttrs(n.attrs);
        out.push(`\n${a.countryName || countryName(a.country)}: ${a.label}: ${formatFactValue(a)}${a.asOf ? ` (as of ${a.asOf})` : ""}\n`);
        return;
      }
      case "quote": {
        const a = sanitizeQuoteAttrs(n.attrs);
        out.push("\n“");
        n.content?.forEach(walk);
        out.push(`” ${quoteAttribution(a)}${a.translation ? `\n${a.translation}` : ""}\n`);
        return;
      }
      case "agendaTopic":
        out.push(`\n${sanitizeAgendaTopicAttrs(n.attrs).title}\n`);
        n.content?.forEach(walk);
        return;
      default:
        if (BLOCK_SEPARATED.has(n.type ?? "")) out.push("\n");
        n.content?.forEach(walk);
        if (BLOCK_SEPARATED.has(n.type ?? "")) out.push("\n");
    }
  };
  walk(node);
  return out
    .join("")
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}

/** The rows and text of a document given as ProseMirror JSON. Pure: no database. */
export function extractProjection(doc: JSONContent): Projection {
  const projection: Projection = { quotes: [], topics: [], facts: [], text: plainText(doc), skipped: 0 };
  const seen = new Set<string>();
  const keep = (blockId: string) => {
    if (!blockId || seen.has(blockId)) {
      projection.skipped += 1;
      return false;
    }
    seen.add(blockId);
    return true;
  };
  const walk = (n: JSONContent) => {
    if (n.type === "quote") {
      const a = sanitizeQuoteAttrs(n.attrs);
      if (keep(a.blockId)) {
        const words = (n.content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : c.type === "hardBreak" ? "\n" : "")).join("");
        const { blockId, ...rest } = a;
        projection.quotes.push({ blockId, position: projection.quotes.length + 1, text: words.trim(), ...rest });
      }
      return;
    }
    if (n.type === "countryFact") {
      const a = sanitizeCountryFactAttrs(n.attrs);
      if (keep(a.blockId)) {
        projection.facts.push({
          blockId: a.blockId,
          position: projection.facts.length + 1,
          country: a.country,
          label: a.label,
          value: a.value,
          unit: a.unit,
          asOf: a.asOf,
          source: a.source,
          libraryFactId: a.libraryFactId || null,
        });
      }
      return;
    }
    if (n.type === "agendaTopic") {
      const a = sanitizeAgendaTopicAttrs(n.attrs);
      if (keep(a.blockId)) {
        projection.topics.push({
          blockId: a.blockId,
          number: projection.topics.length + 1,
          title: a.title,
          priority: a.priority,
          status: a.status,
          owner: a.owner,
          body: plainText({ type: "doc", content: n.content ?? [] }),
        });
      }
    }
    n.content?.forEach(walk);
  };
  walk(doc);
  return projection;
}

/** A Y.Doc's body as ProseMirror JSON through the shared schema. */
export function documentJSON(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(COLLAB_FIELD), getBriefingSchema()).toJSON() as JSONContent;
}

export interface ProjectionResult {
  quotes: number;
  topics: number;
  facts: number;
  skipped: number;
  /** Whether the search index was rewritten (false when title and text were unchanged). */
  searchUpdated: boolean;
}

/**
 * FTS5's unicode61 tokenizer folds diacritics (ş → s) but not Turkish dotless ı or dotted İ, so
 * "Yildiz" would not find "Yıldız". Words with those letters are indexed a second time, folded, after
 * the text (where a snippet rarely reaches).
 */
export function withTurkishFolds(text: string): string {
  const words = new Set(text.match(/[\p{L}\p{N}]*[ıİ][\p{L}\p{N}]*/gu) ?? []);
  if (words.size === 0) return text;
  return `${text}\n${[...words].map((w) => w.replace(/ı/g, "i").replace(/İ/g, "I")).join(" ")}`;
}

function replaceSearchRow(db: Db, briefingId: string, title: string, body: string): void {
  db.run(sql`delete from briefing_search where briefing_id = ${briefingId}`);
  db.run(sql`insert into briefing_search (briefing_id, title, body) values (${briefingId}, ${title}, ${withTurkishFolds(body)})`);
}

function searchRowTitle(db: Db, briefingId: string): string | undefined {
  return db.get<{ title: string } | undefined>(sql`select title from briefing_search where briefing_id = ${briefingId}`)?.title;
}

/**
 * Writes the projection of `doc` for a briefing in one synchronous transaction: upserts quotes,
 * agenda topics and country facts keyed by (briefing_id, block_id), deletes rows of blocks that are
 * gone, and stores the body text and the search index. Returns null when the briefing no longer
 * exists (nothing is written).
 */
export function projectBriefing(db: Db, briefingId: string, doc: Y.Doc): ProjectionResult | null {
  // Reading the document happens outside the transaction: it is pure CPU and may throw on a
  // document that does not fit the schema, which should not leave a transaction open.
  const projection = extractProjection(documentJSON(doc));
  return writeProjection(db, briefingId, projection);
}

/** The database half of projectBriefing, for callers that already have the projection. */
export function writeProjection(db: Db, briefingId: string, projection: Projection): ProjectionResult | null {
  return db.transaction((tx) => {
    const t = tx as unknown as Db;
    const briefing = t.select({ teamId: briefings.teamId, title: briefings.title }).from(briefings).where(eq(briefings.id, briefingId)).get();
    if (!briefing) return null;
    const key = { briefingId, teamId: briefing.teamId };

    for (const row of projection.quotes) {
      const { blockId: _b, ...set } = row;
      t.insert(quotes).values({ ...key, ...row }).onConflictDoUpdate({ target: [quotes.briefingId, quotes.blockId], set: { ...set, teamId: key.teamId } }).run();
    }
    for (const row of projection.topics) {
      const { blockId: _b, ...set } = row;
      t.insert(agendaTopics).values({ ...key, ...row }).onConflictDoUpdate({ target: [agendaTopics.briefingId, agendaTopics.blockId], set: { ...set, teamId: key.teamId } }).run();
    }
    for (const row of projection.facts) {
      const { blockId: _b, ...set } = row;
      t.insert(countryFacts).values({ ...key, ...row }).onConflictDoUpdate({ target: [countryFacts.briefingId, countryFacts.blockId], set: { ...set, teamId: key.teamId } }).run();
    }
    const keepOnly = <T extends typeof quotes | typeof agendaTopics | typeof countryFacts>(table: T, ids: string[]) =>
      t
        .delete(table)
        .where(ids.length ? and(eq(table.briefingId, briefingId), notInArray(table.blockId, ids)) : eq(table.briefingId, briefingId))
        .run();
    keepOnly(quotes, projection.quotes.map((r) => r.blockId));
    keepOnly(agendaTopics, projection.topics.map((r) => r.blockId));
    keepOnly(countryFacts, projection.facts.map((r) => r.blockId));

    const previous = t.select({ body: briefingTexts.body }).from(briefingTexts).where(eq(briefingTexts.briefingId, briefingId)).get();
    const searchUpdated = previous?.body !== projection.text || searchRowTitle(t, briefingId) !== briefing.title;
    if (previous?.body !== projection.text) {
      t.insert(briefingTexts)
        .values({ briefingId, body: projection.text, updatedAt: new Date() })
        .onConflictDoUpdate({ target: briefingTexts.briefingId, set: { body: projection.text, updatedAt: new Date() } })
        .run();
    }
    if (searchUpdated) replaceSearchRow(t, briefingId, briefing.title, projection.text);

    return {
      quotes: projection.quotes.length,
      topics: projection.topics.length,
      facts: projection.facts.length,
      skipped: projection.skipped,
      searchUpdated,
    };
  });
}

/**
 * Keeps the search index's copy of a briefing's title in step with a rename. Call after the
 * briefing row is updated; a briefing not projected yet gets a row with an empty body.
 */
export function indexBriefingTitle(db: Db, briefingId: string, title: string): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    const body = t.select({ body: briefingTexts.body }).from(briefingTexts).where(eq(briefingTexts.briefingId, briefingId)).get()?.body ?? "";
    replaceSearchRow(t, briefingId, title, body);
  });
}

/** Drops a deleted briefing from the search index (the FTS table has no foreign keys to cascade). */
export function removeFromSearch(db: Db, briefingId: string): void {
  db.run(sql`delete from briefing_search where briefing_id = ${briefingId}`);
}

/** Briefings that have a stored document but were never projected (e.g. freshly seeded or imported). */
export function listUnprojectedBriefings(db: Db): string[] {
  return db
    .all<{ id: string }>(
      sql`select b.id as id from briefings b
          where not exists (select 1 from briefing_texts t where t.briefing_id = b.id)
            and (exists (select 1 from document_snapshots s where s.briefing_id = b.id)
              or exists (select 1 from document_updates u where u.briefing_id = b.id))`,
    )
    .map((r) => r.id);
}
