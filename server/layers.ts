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
export function layers(_config: Config): ServerLayer[] {
  // Projection's drain closes after the collab layer, which settles rooms as it unloads them.
  const projection = projectionLayers();
  return [metricsLayer(), projection.drain, collabLayer(), historyLayer(), projection.main, reviewLayer(), exportLayer(), importLayer()];
}
