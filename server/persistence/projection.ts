import type { JSONContent } from "@tiptap/core";
import { eq, sql } from "drizzle-orm";
import * as Y from "yjs";
import type { Db } from "../../db/client";
import { replaceSearchRowPg } from "../../db/dialect/pg/search";
import { rows, withTransaction, type Store } from "../../db/store";
import { briefingTexts } from "../../db/schema";
import { sanitizeAgendaTopicAttrs } from "../../extensions/agenda-topic/agenda-topic-attrs";
import { COLLAB_FIELD } from "../../extensions/collab-field";
import { countryName } from "../../extensions/country-fact/countries";
import { formatFactValue, sanitizeCountryFactAttrs } from "../../extensions/country-fact/country-fact-attrs";
import { collectPortionMarks } from "../../extensions/portion-mark/levels";
import { quoteAttribution, sanitizeQuoteAttrs } from "../../extensions/quote/quote-attrs";
import { writeProjectionRows, type Projection, type ProjectionResult, type WriteStats } from "./projection-store";
import { deleteSearchRow, replaceSearchRow } from "./search-rows";
import { withTurkishFolds } from "./search-text";
import { fragmentToJSON } from "./yjs-content";
import { serverDoc } from "../yjs-doc";

export type { Projection, ProjectionResult } from "./projection-store";
export { withTurkishFolds };

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
  const projection: Projection = { quotes: [], topics: [], facts: [], text: plainText(doc), skipped: 0, marks: collectPortionMarks(doc) };
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

/**
 * A Y.Doc's body as the JSON the projection walks, read straight from Yjs (yjs-content.ts): the
 * same rows as through the editor schema, without loading it (docs/decisions/0208).
 */
export function documentContent(doc: Y.Doc): JSONContent {
  return fragmentToJSON(doc.getXmlFragment(COLLAB_FIELD));
}

/**
 * Writes the projection of `doc` for a briefing in one short transaction (projection-store.ts):
 * upserts the quotes, agenda topics and country facts that changed, keyed by (briefing_id,
 * block_id), deletes rows of blocks that are gone, and stores the body text and the search index
 * when they changed. Returns null when the briefing no longer exists (nothing is written). The
 * server runs this in the projection worker thread (projection-worker.ts), not on its event loop.
 */
export function projectBriefing(db: Db, briefingId: string, doc: Y.Doc): (ProjectionResult & WriteStats) | null {
  // Reading the document happens outside the transaction: it is pure CPU.
  const projection = extractProjection(documentContent(doc));
  return writeProjection(db, briefingId, projection);
}

/** The projection of a document given as one Yjs update (what the server hands the worker). */
export function projectionOfState(state: Uint8Array): Projection {
  const doc = serverDoc();
  try {
    Y.applyUpdate(doc, state);
    return extractProjection(documentContent(doc));
  } finally {
    doc.destroy();
  }
}

/** The database half of projectBriefing, for callers that already have the projection. */
export function writeProjection(db: Db, briefingId: string, projection: Projection): (ProjectionResult & WriteStats) | null {
  return writeProjectionRows(db.$client, briefingId, projection);
}

/**
 * Keeps the search index's copy of a briefing's title in step with a rename. Call after the
 * briefing row is updated; a briefing not projected yet gets a row with an empty body.
 * SQLite: done before this returns (one short write on the one connection), so an awaited publish
 * of the rename has re-indexed. PostgreSQL: under the briefing row's lock, as a projection writes
 * (pg-projection-store.ts), with the title read under it: of two renames the later one wins.
 */
export function indexBriefingTitle(store: Store, briefingId: string, title: string): Promise<void> {
  if (store.dialect === "pg") return indexBriefingTitlePg(store, briefingId);
  return settled(() =>
    store.db.transaction((tx) => {
      const t = tx as unknown as Db;
      const body = t.select({ body: briefingTexts.body }).from(briefingTexts).where(eq(briefingTexts.briefingId, briefingId)).get()?.body ?? "";
      replaceSearchRow(store.db.$client, briefingId, title, withTurkishFolds(body));
    }),
  );
}

function indexBriefingTitlePg(store: Store, briefingId: string): Promise<void> {
  return withTransaction(store, async (tx) => {
    if (tx.dialect !== "pg") return;
    const [row] = await rows<{ title: string; body: string | null }>(
      tx,
      sql`select b.title as "title", t.body as "body" from briefings b left join briefing_texts t on t.briefing_id = b.id
          where b.id = ${briefingId} for no key update of b`,
    );
    if (row) await replaceSearchRowPg(tx.db, briefingId, row.title, row.body ?? "");
  });
}

/**
 * Drops a deleted briefing from the search index. SQLite's FTS table has no foreign keys to
 * cascade; PostgreSQL's row cascades with the briefing, and this removes what a race left.
 */
export function removeFromSearch(store: Store, briefingId: string): Promise<void> {
  if (store.dialect === "pg") return rows(store, sql`delete from briefing_search where briefing_id = ${briefingId}`).then(() => undefined);
  return settled(() => store.db.transaction(() => deleteSearchRow(store.db.$client, briefingId)));
}

/** Briefings that have a stored document but were never projected (e.g. freshly seeded or imported); the same SQL on both dialects. */
export async function listUnprojectedBriefings(store: Store): Promise<string[]> {
  const found = await rows<{ id: string }>(
    store,
    sql`select b.id as "id" from briefings b
        where not exists (select 1 from briefing_texts t where t.briefing_id = b.id)
          and (exists (select 1 from document_snapshots s where s.briefing_id = b.id)
            or exists (select 1 from document_updates u where u.briefing_id = b.id))`,
  );
  return found.map((r) => r.id);
}

/** Runs synchronous SQLite work now and reports it as a settled promise. */
function settled(work: () => void): Promise<void> {
  try {
    work();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err);
  }
}
