import type { ServerBuild } from "@remix-run/node";
import * as remixBuild from "@remix-run/dev/server-build";
import { loadConfig } from "./config";
import { createLogger } from "./logger";
import { layers } from "./layers";
import { startServer } from "./start";

/**
 * Entry point. `npm run build` compiles this file together with the Remix app into
 * `build/server/index.js` (remix.config.js `server`), which `npm start` runs with plain node.
 * Nothing imports this file.
 */
let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);

process.on("uncaughtException", (err) => logger.error("uncaught exception", err));
process.on("unhandledRejection", (err) => logger.error("unhandled rejection", err));

// Signal handlers go in before the server starts: "listening" is logged from inside startServer,
// and a SIGTERM that arrives before the handler exists would kill the process without storing rooms.
let running: Awaited<ReturnType<typeof startServer>> | undefined;
let stopping: string | undefined;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = signal;
  logger.info("server", "signal received", { signal });
  if (!running) return; // the start below finishes first, then closes
  running.close().then(
    () => process.exit(0),
    (err) => {
      logger.error("shutdown failed", err);
      process.exit(1);
    },
  );
};
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
if (config.EXIT_WITH_PARENT) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("parent exited");
  }, 1000).unref();
}

try {
  running = await startServer(config, logger, remixBuild as unknown as ServerBuild, layers(config));
  if (stopping) {
    const signal = stopping;
    stopping = undefined;
    shutdown(signal);
  }
} catch (err) {
  logger.error("start failed", err);
  process.exit(1);
}
