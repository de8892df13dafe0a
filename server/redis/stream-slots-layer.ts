import type { ServerLayer } from "../start";
import { createStreamSlots, type StreamSlots } from "./stream-slots";

/**
 * With REDIS_URL, `services.streamSlots`: the per-user cap on open event streams over all
 * instances (docs/decisions/0123). Mounted first, so it closes last, after the other layers.
 */
export function streamSlotsLayer(): ServerLayer {
  let slots: StreamSlots | null = null;
  return {
    name: "stream-slots",
    attach({ config, logger, services }) {
      if (!config.REDIS_URL) return;
      slots = createStreamSlots({
        url: config.REDIS_URL,
        keyPrefix: config.REDIS_KEY_PREFIX,
        maxPerUser: config.COLLAB_MAX_CONNECTIONS_PER_USER,
        instanceTimeoutMs: config.REDIS_INSTANCE_TIMEOUT_MS,
        timeoutMs: config.REDIS_LIMITS_TIMEOUT_MS,
        logger,
      });
      services.streamSlots = slots;
    },
    async close() {
      await slots?.close();
      slots = null;
    },
  };
}
