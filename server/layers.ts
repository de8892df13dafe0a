import { collabLayer } from "./collab/collab-layer";
import type { Config } from "./config";
import { exportLayer } from "./export/layer";
import { historyLayer } from "./history/layer";
import { importLayer } from "./import/layer";
import { metricsLayer } from "./metrics-layer";
import { projectionLayers } from "./persistence/projection-layer";
import { reviewLayer } from "./review/review-layer";
import type { ServerLayer } from "./start";

/**
 * The layers mounted on the HTTP server, in order. Each feature area (collaboration, export,
 * metrics) adds its own entry here. They close in reverse order.
 */
export function layers(config: Config): ServerLayer[] {
  // Projection's drain closes after the collab layer, which settles rooms as it unloads them.
  const projection = projectionLayers();
  const history = config.DATABASE_URL ? historyUnavailable() : historyLayer();
  return [metricsLayer(), projection.drain, collabLayer(), history, projection.main, reviewLayer(), exportLayer(), importLayer()];
}

/**
 * The version store and its threads still read SQLite synchronously (docs/decisions/0111): on
 * PostgreSQL there is no `services.history` yet, so history pages answer 503 and the briefing page
 * shows no "since you last read" banner, instead of failing at every settle.
 */
function historyUnavailable(): ServerLayer {
  return {
    name: "history",
    attach({ logger }) {
      logger.warn("history", "version history is not available on PostgreSQL yet: no versions are recorded and the history pages answer 503");
    },
  };
}
