import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import express from "express";
import type { Db } from "../db/client";
import { openServerDatabase } from "./database";
import { seedDemo } from "./seed/demo";
import { openDocumentStore } from "./persistence/document-stores";
import { createSessionCookie } from "./auth/session-cookie";
import { startSessionPurge } from "./auth/session-purge";
import type { Config } from "./config";
import type { Services, SummitContext } from "./context";
import { createInProcessBus, type AppBus } from "./bus";
import { createRedisBus } from "./redis/bus";
import { bodyLimit } from "./http/body-limit";
import { releaseYoungGeneration } from "./memory/young-generation";
import { importBodyLimit, isImportPath } from "./import/paths";
import { inProcessCommentLimit, TokenBucketLimiter } from "./http/comment-rate-limit";
import { createAuthRateLimits } from "./http/rate-limit";
import { createSharedLimits } from "./redis/shared-limits";
import { originPolicy, sameOriginMutations } from "./http/same-origin";
import type { Logger } from "./logger";

/**
 * A layer mounted on the server (collaboration, export, metrics). `attach` runs after the
 * database is ready and before the server listens; `close` runs on shutdown, in reverse order.
 */
export interface ServerLayer {
  name: string;
  attach(ctx: LayerContext): void | Promise<void>;
  close?(): void | Promise<void>;
}

export interface LayerContext extends Omit<SummitContext, "services" | "clientAddress"> {
  server: http.Server;
  app: express.Express;
  services: Services;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database, mounts `layers` and the Remix `build` (compiled into the same
 * bundle as this file, so app and server share every module), and listens.
 */
export async function startServer(config: Config, logger: Logger, build: ServerBuild, layers: ServerLayer[] = []): Promise<RunningServer> {
  // DATABASE_URL selects PostgreSQL, else the SQLite file (docs/decisions/0111).
  const database = await openServerDatabase(config, logger);
  const { db, store } = database;
  warnAboutDemoInProduction(config, logger);
  if (config.SEED_DEMO) await seedDemo(store, openDocumentStore(store), logger);

  // Several instances share access changes and comment events through Redis (docs/decisions/0109).
  const redisBus = config.REDIS_URL ? createRedisBus({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger }) : null;
  const events: AppBus = redisBus ?? createInProcessBus();
  const sessionCookie = createSessionCookie(config);
  const services: Services = {};
  // Several instances count the rate limits together in Redis (docs/decisions/0113).
  const sharedLimits = config.REDIS_URL
    ? createSharedLimits({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, timeoutMs: config.REDIS_LIMITS_TIMEOUT_MS, logger })
    : null;
  const authLimits = createAuthRateLimits(
    {
      perEmail: config.AUTH_FAILURES_PER_EMAIL,
      signupsPerEmail: config.AUTH_SIGNUPS_PER_EMAIL,
      perAddress: config.AUTH_ATTEMPTS_PER_ADDRESS,
    },
    sharedLimits ? (name, local) => sharedLimits.attemptLimit(name, local) : undefined,
  );
  const commentBucket = new TokenBucketLimiter(config.COMMENT_RATE_PER_MINUTE, config.COMMENT_RATE_BURST);
  const commentLimit = sharedLimits ? sharedLimits.commentLimit(commentBucket) : inProcessCommentLimit(commentBucket);
  const app = express();
  const server = http.createServer(app);
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_MS;
  // A request's headers may take the usual minute, and never less than the keep-alive idle time.
  server.headersTimeout = Math.max(server.headersTimeout, config.HTTP_KEEP_ALIVE_MS + 1000);
  const ctx: LayerContext = { db, store, config, logger, events, sessionCookie, authLimits, commentLimit, services, server, app };

  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    next();
  });
  app.use(sameOriginMutations(originPolicy(config)));
  app.use(bodyLimit((req) => (isImportPath(req.path) ? importBodyLimit(config) : config.HTTP_MAX_BODY_BYTES)));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", database: "ready" });
  });
  for (const layer of layers) await layer.attach(ctx);

  app.use("/build", express.static(path.join(config.buildDir, "client"), { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (req): AppLoadContext => ({
        db,
        store,
        config,
        logger,
        events,
        sessionCookie,
        authLimits,
        commentLimit,
        services,
        clientAddress: req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );

  const sessionPurge = startSessionPurge(store, logger, config.SESSION_PURGE_INTERVAL_MS);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${port}`;
  logger.info("server", "listening", { url, port, database: database.label, dialect: store.dialect });
  // Start-up is done: the young generation may grow again with real work (docs/decisions/0118).
  releaseYoungGeneration(logger);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      logger.info("server", "shutting down");
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const layer of [...layers].reverse()) {
        try {
          await layer.close?.();
        } catch (err) {
          logger.error("layer close failed", err, { layer: layer.name });
        }
      }
      server.closeAllConnections();
      await stopped;
      sessionPurge.stop();
      await redisBus?.close();
      await sharedLimits?.close();
      await database.close();
      logger.info("server", "stopped");
    })());

  return { url, port, db, close };
}

/**
 * The demo accounts share a published password and DEMO_LOGIN signs into them without one: in
 * production they are off unless asked for, and asking for them is worth a line in the log.
 */
function warnAboutDemoInProduction(config: Config, logger: Logger): void {
  if (config.NODE_ENV !== "production") return;
  if (config.SEED_DEMO) logger.warn("server", "SEED_DEMO is on in production: demo accounts with the published demo password are created");
  if (config.DEMO_LOGIN) logger.warn("server", "DEMO_LOGIN is on in production: anyone can sign in as a demo account without a password");
}
