import type { ServerBuild } from "@remix-run/node";
import * as remixBuild from "@remix-run/dev/server-build";
import { loadConfig } from "./config";
import { createLogger } from "./logger";
import { layers } from "./layers";
import { startServer } from "./start";

/**
 * Entry point. `npm run build` compiles this file together with the Remix app into
 * `build/server/main.js` (remix.config.js `server`); the process starts at `build/server/index.js`
 * (server/boot.ts), which sets one V8 flag and imports it. `npm start` runs that with plain node.
 * Nothing in the source imports this file.
 */
let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);


/** How long a crashing process may spend storing rooms before it exits anyway. */
const CRASH_STORE_DEADLINE_MS = 5000;

// Signal handlers go in before the server starts: "listening" is logged from inside startServer,
// and a SIGTERM that arrives before the handler exists would kill the process without storing rooms.
let running: Awaited<ReturnType<typeof startServer>> | undefined;
let stopping: { reason: string; code: number } | undefined;
const shutdown = (reason: string, code = 0) => {
  if (stopping) return;
  stopping = { reason, code };
  if (code === 0) logger.info("server", "signal received", { signal: reason });
  if (!running) return; // the start below finishes first, then closes
  running.close().then(
    () => process.exit(stopping?.code ?? code),
    (err) => {
      logger.error("shutdown failed", err);
      process.exit(1);
    },
  );
};
// After an uncaught exception the process is in a state nobody reasoned about: store what the rooms
// hold (the same close as SIGTERM), then exit non-zero so the supervisor starts a clean process.
const crash = (kind: string, err: unknown) => {
  logger.error(kind, err);
  if (stopping?.code === 1) return;
  setTimeout(() => process.exit(1), CRASH_STORE_DEADLINE_MS).unref();
  if (stopping) stopping.code = 1; // already closing: make the exit say that it crashed
  else shutdown(kind, 1);
};
process.on("uncaughtException", (err) => crash("uncaught exception", err));
process.on("unhandledRejection", (err) => crash("unhandled rejection", err));

process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
if (config.EXIT_WITH_PARENT) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("parent exited");
  }, 1000).unref();
}

try {
  running = await startServer(config, logger, remixBuild as unknown as ServerBuild, layers());
  if (stopping) {
    const { reason, code } = stopping;
    stopping = undefined;
    shutdown(reason, code);
  }
} catch (err) {
  logger.error("start failed", err);
  process.exit(1);
}
