import type { ServerLayer } from "../start";
import { HistoryPool } from "./pool";
import { createHistoryService } from "./service";

export interface HistoryLayerOptions {
  /**
   * The PostgreSQL URL the history threads open when the server runs on PostgreSQL (ADR 0121);
   * without it, `config.DATABASE_URL` where the configuration has one.
   */
  databaseUrl?: string;
}

/**
 * Version history (docs/decisions/0108): `services.history`, fed by the collab layer's change,
 * settle and unload events. Goes after the collab layer (it needs services.collab). Not
 * unsubscribed on close: the collab layer, closing after this one, unloads rooms, and their last
 * changes still become a version (the database closes after every layer).
 */
export function historyLayer(options: HistoryLayerOptions = {}): ServerLayer {
  return {
    name: "history",
    attach({ store, config, logger, services }) {
      const collab = services.collab;
      if (!collab) {
        logger.warn("history", "collab service missing: no version history is recorded");
        return;
      }
      const cacheBytes = config.HISTORY_CACHE_MB * 1024 * 1024;
      const databaseUrl = store.dialect === "pg" ? (options.databaseUrl ?? (config as { DATABASE_URL?: string }).DATABASE_URL) : undefined;
      if (store.dialect === "pg" && !databaseUrl) throw new Error("history: the server runs on PostgreSQL but the history threads were given no database URL");
      // Another connection cannot open an in-memory database: there, the work stays on this thread.
      // The threads are unref'd and never stopped here: rooms unloading after this layer closes
      // still encode their last version through them (docs/decisions/0110).
      const pool =
        store.dialect === "sqlite" && config.databasePath === ":memory:"
          ? null
          : new HistoryPool({
              databasePath: config.databasePath,
              databaseUrl,
              fullEvery: config.HISTORY_FULL_EVERY,
              workers: config.HISTORY_WORKERS,
              cacheBytes: Math.floor(cacheBytes / config.HISTORY_WORKERS),
              maxQueue: config.HISTORY_MAX_QUEUE,
              timeoutMs: config.HISTORY_TIMEOUT_MS,
              maxMemoryMb: config.HISTORY_WORKER_MAX_MEMORY_MB,
              idleMs: config.HISTORY_WORKER_IDLE_MS,
              logger,
            });
      services.history = createHistoryService(store, collab, { intervalMs: config.HISTORY_INTERVAL_MS, fullEvery: config.HISTORY_FULL_EVERY, pool, cacheBytes }, logger);
    },
  };
}
