import { getBriefing } from "../../db/queries/briefings";
import type { ServerLayer } from "../start";
import { indexBriefingTitle, listUnprojectedBriefings, projectionOfState, removeFromSearch, writeProjection } from "./projection";
import { ProjectionRunner } from "./projection-runner";

/** How long shutdown waits for queued and running projections before ending the thread. */
const SHUTDOWN_WAIT_MS = 5000;

/**
 * Keeps the block tables and the search index in step with the documents: projects a briefing each
 * time its room settles (services.collab.onDocumentSettled), projects briefings that were stored but
 * never projected (the seed) when the server starts, re-indexes titles when a briefing changes and
 * drops deleted briefings from the search index.
 *
 * Projection runs in a worker thread (projection-runner.ts); this thread only hands over the
 * briefing id and the room's cached state. Two layers: `main` goes after the collab layer (it
 * needs services.collab), `drain` before it, so that on shutdown (layers close in reverse order) the
 * thread is stopped only after the collab layer has unloaded its rooms, whose last settles are
 * projected too.
 */
export function projectionLayers(): { main: ServerLayer; drain: ServerLayer } {
  const cleanups: (() => void)[] = [];
  let runner: ProjectionRunner | null = null;
  const main: ServerLayer = {
    name: "projection",
    attach({ db, store, config, logger, events, services }) {
      const collab = services.collab;
      if (!collab) {
        logger.warn("projection", "collab service missing: block tables and search will not follow edits");
        return;
      }

      // Another connection cannot open an in-memory database: there, projection stays on this thread.
      // On PostgreSQL the thread opens a pool of its own on the same URL (docs/decisions/0111).
      const inProcess = store.dialect === "sqlite" && config.databasePath === ":memory:";
      if (!inProcess) {
        runner = new ProjectionRunner({
          database: config.DATABASE_URL ? { dialect: "pg", url: config.DATABASE_URL } : { dialect: "sqlite", path: config.databasePath },
          logLevel: config.LOG_LEVEL,
          maxMemoryMb: config.PROJECTION_WORKER_MAX_MEMORY_MB,
          idleMs: config.PROJECTION_WORKER_IDLE_MS,
          logger,
        });
      }
      const project = (briefingId: string, state: Uint8Array, why: string) => {
        if (runner) return runner.project(briefingId, state, why);
        try {
          writeProjection(db, briefingId, projectionOfState(state));
        } catch (err) {
          logger.error("projection failed", err, { briefingId, why });
        }
      };

      // Not unsubscribed in close(): the collab layer, closing after this one, settles rooms with
      // unprojected changes as it unloads them, and the drain layer waits for those.
      collab.onDocumentSettled((briefingId, _doc, state) => project(briefingId, state(), "settled"));

      // In the background, one briefing after another: reading storage is asynchronous now.
      void (async () => {
        for (const briefingId of await listUnprojectedBriefings(store)) {
          try {
            project(briefingId, await collab.getState(briefingId), "backfill");
          } catch (err) {
            logger.error("projection: reading a stored briefing failed", err, { briefingId });
          }
        }
        runner?.backfillDone();
      })().catch((err: unknown) => logger.error("projection backfill failed", err));

      // Short writes on this thread. On SQLite both run before the publish that announced the
      // change resolves (the reads and writes settle without I/O), as HTTP code expects.
      const onChanged = ({ briefingId }: { briefingId: string }) => {
        getBriefing(store, briefingId)
          .then((row) => (row ? indexBriefingTitle(store, briefingId, row.title) : undefined))
          .catch((err: unknown) => logger.error("projection: re-indexing the title failed", err, { briefingId }));
      };
      const onDeleted = ({ briefingId }: { briefingId: string }) => {
        removeFromSearch(store, briefingId).catch((err: unknown) => logger.error("projection: removing from search failed", err, { briefingId }));
      };
      // A new briefing's body (from a template, a duplicate or Word) is projected at once, so its
      // quotes and facts are in the team's finders before anyone opens it.
      const onCreated = ({ briefingId }: { briefingId: string }) => {
        collab.getState(briefingId).then(
          (state) => project(briefingId, state, "created"),
          (err: unknown) => logger.error("projection: reading a new briefing failed", err, { briefingId }),
        );
      };
      cleanups.push(events.subscribe("briefingChanged", onChanged));
      cleanups.push(events.subscribe("briefingCreated", onCreated));
      cleanups.push(events.subscribe("briefingDeleted", onDeleted));
    },
    close() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
  const drain: ServerLayer = {
    name: "projection-drain",
    attach() {},
    async close() {
      await runner?.close(SHUTDOWN_WAIT_MS);
      runner = null;
    },
  };
  return { main, drain };
}
