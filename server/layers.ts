import { collabLayer } from "./collab/collab-layer";
import type { Config } from "./config";
import { exportLayer } from "./export/layer";
import { metricsLayer } from "./metrics-layer";
import { projectionLayer } from "./persistence/projection-layer";
import type { ServerLayer } from "./start";

/**
 * The layers mounted on the HTTP server, in order. Each feature area (collaboration, export,
 * metrics) adds its own entry here.
 */
export function layers(_config: Config): ServerLayer[] {
  return [metricsLayer(), collabLayer(), projectionLayer(), exportLayer()];
}
