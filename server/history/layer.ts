import type { ServerLayer } from "../start";
import { createHistoryService } from "./service";

/**
 * Version history (docs/decisions/0108): `services.history`, fed by the collab layer's change,
 * settle and unload events. Goes after the collab layer (it needs services.collab). Not
 * unsubscribed on close: the collab layer, closing after this one, unloads rooms, and their last
 * changes still become a version (the database closes after every layer).
 */
export function historyLayer(): ServerLayer {
  return {
    name: "history",
    attach({ db, config, logger, services }) {
      const collab = services.collab;
      if (!collab) {
        logger.warn("history", "collab service missing: no version history is recorded");
        return;
      }
      services.history = createHistoryService(db, collab, { intervalMs: config.HISTORY_INTERVAL_MS, fullEvery: config.HISTORY_FULL_EVERY }, logger);
    },
  };
}
