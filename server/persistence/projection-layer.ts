import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { briefings } from "../../db/schema";
import type { ServerLayer } from "../start";
import { indexBriefingTitle, listUnprojectedBriefings, projectBriefing, removeFromSearch } from "./projection";

/**
 * Keeps the block tables and the search index in step with the documents: projects a briefing each
 * time its room settles (services.collab.onDocumentSettled), projects briefings that were stored but
 * never projected (the seed) when the server starts, re-indexes titles when a briefing changes and
 * drops deleted briefings from the search index. Registered after the collab layer.
 */
export function projectionLayer(): ServerLayer {
  const cleanups: (() => void)[] = [];
  return {
    name: "projection",
    attach({ db, logger, events, services }) {
      const collab = services.collab;
      if (!collab) {
        logger.warn("projection", "collab service missing: block tables and search will not follow edits");
        return;
      }

      const project = (briefingId: string, doc: Y.Doc, why: string) => {
        const started = performance.now();
        try {
          const result = projectBriefing(db, briefingId, doc);
          if (!result) return;
          logger.debug("projection", "projected", {
            briefingId,
            why,
            quotes: result.quotes,
            topics: result.topics,
            facts: result.facts,
            skipped: result.skipped,
            ms: Math.round(performance.now() - started),
          });
          if (result.skipped > 0) logger.warn("projection", "blocks without a unique id were not projected", { briefingId, skipped: result.skipped });
        } catch (err) {
          // A projection failure must never disturb the room; the next settle retries.
          logger.error("projection failed", err, { briefingId, why });
        }
      };

      // Not unsubscribed in close(): layers close in reverse order, and the collab layer, closing
      // after this one, settles rooms with unprojected changes as it flushes them.
      collab.onDocumentSettled((briefingId, doc) => project(briefingId, doc, "settled"));

      for (const briefingId of listUnprojectedBriefings(db)) {
        let doc: Y.Doc;
        try {
          doc = collab.getDocument(briefingId);
        } catch (err) {
          // A damaged document (already logged by the store) must not stop the server starting.
          logger.error("projection backfill: document could not be read", err, { briefingId });
          continue;
        }
        try {
          project(briefingId, doc, "backfill");
        } finally {
          doc.destroy();
        }
      }

      const onChanged = ({ briefingId }: { briefingId: string }) => {
        try {
          const row = db.select({ title: briefings.title }).from(briefings).where(eq(briefings.id, briefingId)).get();
          if (row) indexBriefingTitle(db, briefingId, row.title);
        } catch (err) {
          logger.error("projection: re-indexing the title failed", err, { briefingId });
        }
      };
      const onDeleted = ({ briefingId }: { briefingId: string }) => {
        try {
          removeFromSearch(db, briefingId);
        } catch (err) {
          logger.error("projection: removing from search failed", err, { briefingId });
        }
      };
      events.on("briefingChanged", onChanged);
      events.on("briefingDeleted", onDeleted);
      cleanups.push(() => events.off("briefingChanged", onChanged));
      cleanups.push(() => events.off("briefingDeleted", onDeleted));
    },
    close() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
