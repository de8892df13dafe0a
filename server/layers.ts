import type { Config } from "./config";
import type { ServerLayer } from "./start";

/**
 * The layers mounted on the HTTP server, in order. Each feature area (collaboration, export,
 * metrics) adds its own entry here.
 */
export function layers(_config: Config): ServerLayer[] {
  return [];
}
