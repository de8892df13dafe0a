import { collabLayer } from "./collab/collab-layer";
import { exportLayer } from "./export/layer";
import { historyLayers } from "./history/layer";
import { importLayer } from "./import/layer";
import { metricsLayer } from "./metrics-layer";
import { projectionLayers } from "./persistence/projection-layer";
import { streamSlotsLayer } from "./redis/stream-slots-layer";
import { reviewLayer } from "./review/review-layer";
import type { ServerLayer } from "./start";

/**
 * The layers mounted on the HTTP server, in order. Each feature area (collaboration, export,
 * metrics) adds its own entry here. They close in reverse order.
 */
export function layers(): ServerLayer[] {
  // The drains close after the collab layer, which settles rooms and records their last versions as it unloads them.
  const projection = projectionLayers();
  const history = historyLayers();
  return [streamSlotsLayer(), metricsLayer(), projection.drain, history.drain, collabLayer(), history.main, projection.main, reviewLayer(), exportLayer(), importLayer()];
}
