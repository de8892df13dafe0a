import type { ServerLayer } from "./start";
import { metricsRegistry } from "./metrics";

/**
 * GET /metrics in Prometheus text format. Off unless METRICS_TOKEN is set; then the caller must
 * send `Authorization: Bearer <token>`. Without a token, or with a wrong one, the route answers
 * 404 so its existence is not advertised.
 */
export function metricsLayer(): ServerLayer {
  return {
    name: "metrics",
    attach({ app, config }) {
      const token = config.METRICS_TOKEN;
      app.get("/metrics", async (req, res, next) => {
        if (!token || !safeEqual(req.headers.authorization ?? "", `Bearer ${token}`)) {
          res.status(404).type("text/plain").send("Not Found");
          return;
        }
        try {
          res.setHeader("Content-Type", metricsRegistry.contentType);
          res.setHeader("Cache-Control", "no-store");
          res.send(await metricsRegistry.metrics());
        } catch (err) {
          next(err);
        }
      });
    },
  };
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
