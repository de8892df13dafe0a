import type { ServerLayer } from "../start";
import { HistoryPool } from "./pool";
import { createHistoryService, type HistoryService } from "./service";

/** How long shutdown waits for versions still being recorded before the threads end. */
const SHUTDOWN_WAIT_MS = 5000;
/** Connections of each history thread's PostgreSQL pool (ADR 0121). */
const THREAD_POOL_MAX = 2;

export interface HistoryLayerOptions {
  /**
   * The PostgreSQL URL the history threads open when the server runs on PostgreSQL (ADR 0121);
   * without it, `config.DATABASE_URL`.
   */
  databaseUrl?: string;
}

/**
 * Version history (docs/decisions/0108): `services.history`, fed by the collab layer's change,
 * settle and unload events, on SQLite or PostgreSQL. Two layers, as projection's: `main` goes
 * after the collab layer (it needs services.collab) and is not unsubscribed on close, because the
 * collab layer, closing after it, unloads rooms whose last changes still become a version; `drain`
 * goes before the collab layer, so it closes after it: it waits for those versions, then ends the
 * history threads and their database connections (the database closes after every layer).
 */
export function historyLayers(options: HistoryLayerOptions = {}): { main: ServerLayer; drain: ServerLayer } {
  let pool: HistoryPool | null = null;
  let service: HistoryService | null = null;
  const main: ServerLayer = {
    name: "history",
    attach({ store, config, logger, services }) {
      const collab = services.collab;
      if (!collab) {
        logger.warn("history", "collab service missing: no version history is recorded");
        return;
      }
      const cacheBytes = config.HISTORY_CACHE_MB * 1024 * 1024;
      const databaseUrl = store.dialect === "pg" ? (options.databaseUrl ?? config.DATABASE_URL) : null;
      if (store.dialect === "pg" && !databaseUrl) throw new Error("history: the server runs on PostgreSQL but the history threads were given no database URL");
      // Another connection cannot open an in-memory database: there, the work stays on this thread.
      pool =
        store.dialect === "sqlite" && config.databasePath === ":memory:"
          ? null
          : new HistoryPool({
              databasePath: config.databasePath,
              databaseUrl,
              databasePoolMax: THREAD_POOL_MAX,
              fullEvery: config.HISTORY_FULL_EVERY,
              workers: config.HISTORY_WORKERS,
              cacheBytes: Math.floor(cacheBytes / config.HISTORY_WORKERS),
              maxQueue: config.HISTORY_MAX_QUEUE,
              timeoutMs: config.HISTORY_TIMEOUT_MS,
              maxMemoryMb: config.HISTORY_WORKER_MAX_MEMORY_MB,
              idleMs: config.HISTORY_WORKER_IDLE_MS,
              logger,
              logLevel: config.LOG_LEVEL,
            });
      service = createHistoryService(store, collab, { intervalMs: config.HISTORY_INTERVAL_MS, fullEvery: config.HISTORY_FULL_EVERY, pool, cacheBytes }, logger);
      services.history = service;
    },
  };
  const drain: ServerLayer = {
    name: "history-drain",
    attach() {},
    async close() {
      await service?.drain(SHUTDOWN_WAIT_MS);
      // A version still being recorded after the wait encodes on the main thread (service.ts).
      await pool?.close();
      pool = null;
    },
  };
  return { main, drain };
}
