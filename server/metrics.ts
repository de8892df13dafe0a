import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CollabMetrics } from "./collab/collab-metrics";

/**
 * The process's Prometheus registry. Other areas (PDF export) register their own metrics on it:
 * `new Histogram({ name, help, registers: [metricsRegistry] })`.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: "summit_" });

/** Live numbers the collaboration layer reports when /metrics is scraped. */
export interface CollabStatsSource {
  stats(): { rooms: number; connections: number; pendingUpdates: number };
}
let statsSource: CollabStatsSource | null = null;
export function setCollabStatsSource(source: CollabStatsSource | null): void {
  statsSource = source;
}

const registers = [metricsRegistry];

/** The collaboration series; the collab code reports through `promCollabMetrics`, not these. */
const collabSeries = {
  rooms: new Gauge({
    name: "summit_collab_rooms",
    help: "Briefing documents loaded in memory",
    registers,
    collect() {
      this.set(statsSource?.stats().rooms ?? 0);
    },
  }),
  connections: new Gauge({
    name: "summit_collab_connections",
    help: "Open collaboration WebSocket connections",
    registers,
    collect() {
      this.set(statsSource?.stats().connections ?? 0);
    },
  }),
  pendingUpdates: new Gauge({
    name: "summit_collab_pending_updates",
    help: "Document updates received but not yet stored",
    registers,
    collect() {
      this.set(statsSource?.stats().pendingUpdates ?? 0);
    },
  }),
  updatesReceived: new Counter({ name: "summit_collab_updates_received_total", help: "Document updates applied from clients", registers }),
  updatesPersisted: new Counter({ name: "summit_collab_updates_persisted_total", help: "Document updates written to storage", registers }),
  persistFailures: new Counter({ name: "summit_collab_persist_failures_total", help: "Failed store attempts (retried next tick)", registers }),
  compactions: new Counter({ name: "summit_collab_compactions_total", help: "Update logs folded into a snapshot", registers }),
  persistSeconds: new Histogram({
    name: "summit_collab_persist_seconds",
    help: "Time to store one batch of updates",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  }),
  loadSeconds: new Histogram({
    name: "summit_collab_load_seconds",
    help: "Time to load a briefing document from storage",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 1, 5],
    registers,
  }),
  rejectedMessages: new Counter({
    name: "summit_collab_rejected_messages_total",
    help: "Messages dropped or refused, by reason",
    labelNames: ["reason"] as const,
    registers,
  }),
  closes: new Counter({
    name: "summit_collab_closes_total",
    help: "Connections closed by the server, by close code",
    labelNames: ["code"] as const,
    registers,
  }),
  fanoutFailures: new Counter({
    name: "summit_collab_fanout_failures_total",
    help: "Room updates the fan-out to other server processes did not take",
    registers,
  }),
  fanoutCatchUps: new Counter({
    name: "summit_collab_fanout_catch_ups_total",
    help: "Rooms that re-read storage because the fan-out between server processes may have missed updates",
    registers,
  }),
  refusedUpgrades: new Counter({
    name: "summit_collab_refused_upgrades_total",
    help: "WebSocket upgrades refused before the socket opened, by HTTP status",
    labelNames: ["status"] as const,
    registers,
  }),
};

/** CollabMetrics on the process's Prometheus registry: what the collab layer injects into its registry. */
export const promCollabMetrics: CollabMetrics = {
  roomLoaded: (seconds) => collabSeries.loadSeconds.observe(seconds),
  updateReceived: () => collabSeries.updatesReceived.inc(),
  updatesStored(count, seconds) {
    collabSeries.updatesPersisted.inc(count);
    collabSeries.persistSeconds.observe(seconds);
  },
  storeFailed: () => collabSeries.persistFailures.inc(),
  compacted: () => collabSeries.compactions.inc(),
  rejected: (reason, count = 1) => collabSeries.rejectedMessages.inc({ reason }, count),
  closed: (code) => collabSeries.closes.inc({ code: String(code) }),
  upgradeRefused: (status) => collabSeries.refusedUpgrades.inc({ status: String(status) }),
  fanoutFailed: () => collabSeries.fanoutFailures.inc(),
  fanoutCaughtUp: () => collabSeries.fanoutCatchUps.inc(),
};

/** Socket upgrades admitted from the admission cache (server/collab/admission-cache.ts), by what was reused. */
export const admissionCacheHits = new Counter({
  name: "summit_collab_admission_cache_hits_total",
  help: "Socket upgrades that reused a session or membership checked within COLLAB_ADMISSION_CACHE_MS",
  labelNames: ["kind"] as const,
  registers,
});

/** Stored state that failed verification (docs/decisions/0105); any non-zero value needs an administrator. */
export const storageMetrics = {
  corrupt: new Counter({
    name: "summit_storage_corrupt_total",
    help: "Loads of a briefing document refused because its stored state is damaged, by kind (snapshot, log, missing)",
    labelNames: ["kind"] as const,
    registers,
  }),
};

/** Block projection, which runs in its own thread (server/persistence/projection-runner.ts). */
export const projectionMetrics = {
  projections: new Counter({
    name: "summit_projections_total",
    help: "Briefing projections finished by the projection thread, by outcome (projected, gone, failed)",
    labelNames: ["outcome"] as const,
    registers,
  }),
  seconds: new Histogram({
    name: "summit_projection_seconds",
    help: "Time the projection thread spent on one briefing: decode, convert, diff and write",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  }),
  lockSeconds: new Histogram({
    name: "summit_projection_lock_seconds",
    help: "Time one projection held the database write lock (its transaction)",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers,
  }),
  queued: new Gauge({ name: "summit_projection_queued", help: "Briefings waiting for the projection thread", registers }),
  workerStarts: new Counter({ name: "summit_projection_worker_starts_total", help: "Projection threads started", registers }),
  workerExits: new Counter({ name: "summit_projection_worker_exits_total", help: "Projection threads that ended unexpectedly", registers }),
  workerRunning: new Gauge({ name: "summit_projection_worker_running", help: "1 while the projection thread runs (it ends after PROJECTION_WORKER_IDLE_MS idle)", registers }),
};
