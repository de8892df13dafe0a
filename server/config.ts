import os from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * The only reader of `process.env` in `server/` and `db/`. Parsed once; an invalid environment
 * lists every bad variable and stops the process before anything listens.
 */
const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** A setting whose default depends on other settings: an empty value counts as not set. */
const unsetIfEmpty = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const DEV_SECRET = "summit-desk-development-secret-change-me";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default("./data/briefings.db"),
  /**
   * PostgreSQL instead of the SQLite file (docs/decisions/0111): `postgres://user:password@host:port/db`.
   * Migrated at start; DATABASE_PATH is then not read. The refusal never repeats the value (it may
   * hold a password). Unset: the SQLite file at DATABASE_PATH.
   */
  DATABASE_URL: unsetIfEmpty(
    z
      .string()
      .refine((u) => URL.canParse(u) && /^postgres(ql)?:$/.test(new URL(u).protocol), "must be a postgres:// or postgresql:// URL"),
  ),
  /** Connections of this instance's PostgreSQL pool (the projection thread and each history thread open 2 more); with DATABASE_URL only. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(1000).default(10),
  SD_BUILD_DIR: z.string().min(1).default("build"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  SESSION_SECRET: z.string().min(16).default(DEV_SECRET),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How often expired session rows are deleted (also once at start). */
  SESSION_PURGE_INTERVAL_MS: z.coerce.number().int().min(100).default(60 * 60 * 1000),
  COOKIE_SECURE: bool.default("false"),
  /** Extra origins allowed to open WebSockets and post forms, comma separated. */
  ALLOWED_ORIGINS: z.string().default(""),
  /**
   * The origin browsers use to reach the app (e.g. `https://desk.example.gov`). When set it is the
   * only own origin for form posts and WebSocket upgrades; the client-controlled Host header is
   * then never trusted. Unset: the request's Host is taken as our own origin.
   */
  PUBLIC_URL: unsetIfEmpty(
    z
      .string()
      .url()
      .refine((u) => /^https?:$/.test(new URL(u).protocol), "must be an http:// or https:// URL")
      .refine((u) => ["", "/"].includes(new URL(u).pathname) && !new URL(u).search && !new URL(u).hash, "must be an origin without a path"),
  ),
  /**
   * Seed the demo team and the Ankara briefing into an empty database. Default: on, except with
   * NODE_ENV=production, where the demo accounts (one shared, published password) must be asked for.
   */
  SEED_DEMO: unsetIfEmpty(bool),
  /** Offer one-click, password-free sign-in as the demo users. Default: on, except in production. */
  DEMO_LOGIN: unsetIfEmpty(bool),
  COLLAB_FLUSH_MS: z.coerce.number().int().min(1).max(5000).default(50),
  PROJECTION_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60000).default(500),
  /** Heap limit of the projection thread; a document that needs more ends that thread (restarted), not the server. */
  PROJECTION_WORKER_MAX_MEMORY_MB: z.coerce.number().int().min(32).max(16384).default(512),
  /** The projection thread ends after this long without work (it holds ~30 MB) and starts again on the next settle; 0 keeps it. */
  PROJECTION_WORKER_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /**
   * Largest WebSocket message (over it: 4413). The editor learns it from the briefing page's loader:
   * it refuses a paste or drop over half of it and sends larger changes in pieces under it.
   */
  COLLAB_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  COLLAB_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).default(32 * 1024 * 1024),
  /** Bytes of updates one connection may have waiting for changes the server lacks; more closes it with 4422. */
  COLLAB_MAX_PENDING_BYTES: z.coerce.number().int().min(0).default(1024 * 1024),
  /** Times a connection's waiting updates are re-applied without integrating before it is closed with 4422. */
  COLLAB_MAX_PENDING_RETRIES: z.coerce.number().int().min(0).default(8),
  COLLAB_MAX_CONNECTIONS_PER_BRIEFING: z.coerce.number().int().min(1).default(200),
  COLLAB_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(50),
  COLLAB_MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(400),
  /** Bytes a user may send per second over all their sockets (a token bucket refilled at this rate). */
  COLLAB_MAX_BYTES_PER_SECOND: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** The bucket's size: bytes a user may send at once (never less than COLLAB_MAX_MESSAGE_BYTES). */
  COLLAB_MAX_BYTES_BURST: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  COLLAB_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  COLLAB_COMPACT_AFTER_UPDATES: z.coerce.number().int().min(10).default(500),
  /** WebSocket keepalive: a ping every interval; no pong by the next one closes with 4408. */
  COLLAB_PING_INTERVAL_MS: z.coerce.number().int().min(100).default(30000),
  /**
   * How long a socket stays unread while its role or its briefing's status is re-read after an
   * access change (docs/decisions/0122); a read not answered by then (held up by a lock) closes it
   * with 4500 "access could not be checked: reconnect", and the client reconnects.
   */
  COLLAB_ACCESS_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /**
   * How long a socket upgrade's checked session and membership are reused for the same cookie and
   * briefing; sign-out and access changes forget them at once. 0 looks both up on every upgrade.
   */
  COLLAB_ADMISSION_CACHE_MS: z.coerce.number().int().min(0).max(60000).default(1000),
  /**
   * How long a live room remembers the blocks an accepted suggestion merged, so typing in the
   * merged-away block that arrives later is moved into the merged block (docs/decisions/0602); 0: never.
   */
  COLLAB_MERGED_BLOCK_MS: z.coerce.number().int().min(0).max(2_592_000_000).default(604_800_000),
  /** Runs of merged text (and text moved since) a room remembers at most; the oldest go first. */
  COLLAB_MERGED_BLOCK_MAX_RUNS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Exposes GET /metrics; empty disables it, otherwise callers send `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().default(""),
  /** PDF render processes; by default one core is left to the collaboration process. */
  PDF_WORKERS: z.coerce.number().int().min(1).max(16).default(Math.max(1, os.availableParallelism() - 1)),
  PDF_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  /** Exports waiting for a render process before new ones are answered 503 (default: 8 per process). */
  PDF_MAX_QUEUE: z.coerce.number().int().min(0).optional(),
  PDF_RENDERS_PER_WORKER: z.coerce.number().int().min(1).default(25),
  /** Per Word or Markdown export; over it the export thread is restarted and the request answered 504. */
  DOCX_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  /** Word and Markdown exports waiting for the export thread before new ones are answered 503. */
  DOCX_MAX_QUEUE: z.coerce.number().int().min(0).default(16),
  /** Heap limit of the Word/Markdown export thread; a brief that needs more ends the thread, not the server. */
  DOCX_WORKER_MAX_MEMORY_MB: z.coerce.number().int().min(32).default(512),
  /** The Word/Markdown export thread ends after this long without an export (0: keep it); the next export starts it again. */
  DOCX_WORKER_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Failed sign-ins allowed per email address in 15 minutes. */
  AUTH_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(10),
  /** Sign-up attempts allowed per email address in 15 minutes. */
  AUTH_SIGNUPS_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  /** Sign-in and sign-up attempts allowed per client address in 15 minutes. */
  AUTH_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  /** Largest HTTP request body (forms, comments). */
  HTTP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /**
   * How long an idle keep-alive HTTP connection stays open. Longer than the idle timeout of common
   * load balancers and of HTTP clients (60 s), so the other side closes it first and no request is
   * sent on a socket the server is closing at that moment ("socket hang up" / "other side closed").
   */
  HTTP_KEEP_ALIVE_MS: z.coerce.number().int().min(1000).default(65_000),
  /** Largest Word document accepted by "New briefing from Word document". */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /** Largest total uncompressed size of a .docx's parts, read from its central directory before anything is unzipped. */
  IMPORT_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
  /** Largest compression ratio of a part over 1 MB uncompressed (Word's XML compresses about 10:1; zip bombs 1000:1). */
  IMPORT_MAX_COMPRESSION_RATIO: z.coerce.number().int().min(2).default(200),
  /** Time one conversion may take in its worker thread before it is stopped and refused. */
  IMPORT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  /** Heap limit of a conversion thread; a document that needs more ends that thread, not the server. */
  IMPORT_WORKER_MAX_MEMORY_MB: z.coerce.number().int().min(32).max(16384).default(256),
  /** Conversions running at once; more are answered 503 (each holds a thread and up to its heap limit). */
  IMPORT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(64).default(2),
  /** A conversion thread ends after this long without an import (0: keep it); the next import starts one again. */
  IMPORT_WORKER_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Exit when the parent process goes away (test servers must not outlive a killed test run). */
  EXIT_WITH_PARENT: bool.default("false"),
  FACT_STALE_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  /** Comments (new threads, replies, edits) one person may write per minute, on average. */
  COMMENT_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Rows per page of a team's audit trail (the CSV export has every matching row). */
  AUDIT_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /**
   * Version history (docs/decisions/0108): at most one automatic version per briefing per this many
   * milliseconds of editing, taken once editing settles.
   */
  HISTORY_INTERVAL_MS: z.coerce.number().int().min(50).default(5 * 60 * 1000),
  /** Every this many versions the full state is stored instead of a delta, bounding a rebuild to that many rows. */
  HISTORY_FULL_EVERY: z.coerce.number().int().min(1).max(1000).default(50),
  /** History threads that encode, rebuild and compare versions off the event loop (docs/decisions/0110). */
  HISTORY_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Rendered versions kept for comparisons, in MB over all history threads (least recently used out first). */
  HISTORY_CACHE_MB: z.coerce.number().int().min(1).max(16384).default(64),
  /** Rebuilds and comparisons waiting for a history thread; more are answered 503. */
  HISTORY_MAX_QUEUE: z.coerce.number().int().min(1).max(10_000).default(16),
  /** Longest one rebuild or comparison may run (at least 100); over it the thread is ended and the request answered 503. */
  HISTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Heap limit of a history thread (at least 32); a version that needs more ends that thread, not the server. */
  HISTORY_WORKER_MAX_MEMORY_MB: z.coerce.number().int().min(32).max(16384).default(512),
  /** A history thread (and its cache) ends after this long without work (0: keep it). */
  HISTORY_WORKER_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /** Longest replacement text of a suggested edit, in characters (a topic title has its own 300). */
  SUGGESTION_MAX_CHARS: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Comments one person may write in a quick run before the per-minute rate applies. */
  COMMENT_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(10),
  /**
   * Redis for several server instances on one database (docs/decisions/0109): document updates,
   * carets and access changes reach every instance through it. Unset: one instance, no Redis.
   */
  REDIS_URL: unsetIfEmpty(
    z
      .string()
      .url()
      .refine((u) => /^rediss?:$/.test(new URL(u).protocol), "must be a redis:// or rediss:// URL"),
  ),
  /** Prefix of every Redis key and channel, so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{0,64}$/, "letters, digits, ':', '_' and '-' only").default("sd:"),
  /** Document updates kept per briefing's Redis stream (trimmed approximately); an instance that falls further behind reloads from the database. */
  REDIS_STREAM_MAX_ENTRIES: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  /**
   * How long a rate-limit check waits for Redis (docs/decisions/0113) before this instance's own
   * count answers instead; also the wait for a connection-cap check at a socket upgrade.
   */
  REDIS_LIMITS_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(500),
  /**
   * An instance that has not renewed its entry in Redis for this long counts as dead: its sockets
   * stop counting against the cluster-wide connection caps (it renews every third of this).
   */
  REDIS_INSTANCE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** Longest review note or finalize-override reason, in characters (longer: 400). */
  REVIEW_NOTE_MAX_CHARS: z.coerce.number().int().min(10).max(100_000).default(2000),
});

export type Config = Omit<z.infer<typeof EnvSchema>, "SEED_DEMO" | "DEMO_LOGIN" | "PUBLIC_URL" | "REDIS_URL" | "DATABASE_URL"> & {
  /** Set: the server runs on this PostgreSQL database, not the SQLite file (docs/decisions/0111). */
  DATABASE_URL: string | null;
  /** Set: this is one of several instances sharing the database (server/redis/). */
  REDIS_URL: string | null;
  SEED_DEMO: boolean;
  DEMO_LOGIN: boolean;
  /** PUBLIC_URL reduced to its origin (`https://desk.example.gov`), or null when unset. */
  publicOrigin: string | null;
  databasePath: string;
  buildDir: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === "production" && cfg.SESSION_SECRET === DEV_SECRET) {
    throw new Error("Invalid environment:\n  SESSION_SECRET: must be set in production");
  }
  const production = cfg.NODE_ENV === "production";
  const { PUBLIC_URL, ...rest } = cfg;
  return {
    ...rest,
    REDIS_URL: cfg.REDIS_URL ?? null,
    DATABASE_URL: cfg.DATABASE_URL ?? null,
    SEED_DEMO: cfg.SEED_DEMO ?? !production,
    DEMO_LOGIN: cfg.DEMO_LOGIN ?? !production,
    publicOrigin: PUBLIC_URL ? new URL(PUBLIC_URL).origin : null,
    databasePath: cfg.DATABASE_PATH === ":memory:" ? ":memory:" : path.resolve(cfg.DATABASE_PATH),
    buildDir: path.resolve(cfg.SD_BUILD_DIR),
  };
}
