import type { Cookie } from "@remix-run/node";
import type { Db } from "../db/client";
import type { Store } from "../db/store";
import type { CollabService } from "./collab/service";
import type { Config } from "./config";
import type { DocumentService } from "./export/document-service";
import type { PdfService } from "./export/service";
import type { HistoryService } from "./history/service";
import type { DocxImportService } from "./import/runner";
import type { StreamSlots } from "./redis/stream-slots";
import type { AppBus } from "./bus";
import type { CommentRateLimit } from "./http/comment-rate-limit";
import type { AuthRateLimits } from "./http/rate-limit";
import type { Logger } from "./logger";

/**
 * What every Remix loader and action receives as `context`. Built once in server/start.ts; app
 * code reads the database and services from here instead of opening its own.
 */
export interface SummitContext {
  db: Db;
  /** The same database for the async query layer (db/store.ts); converted queries take this. */
  store: Store;
  config: Config;
  logger: Logger;
  /** The application bus (server/bus.ts): publish access changes, subscribe to them. */
  events: AppBus;
  sessionCookie: Cookie;
  /** Limits on sign-in and sign-up attempts. */
  authLimits: AuthRateLimits;
  /** Limit on writing comments, per user (COMMENT_RATE_PER_MINUTE, COMMENT_RATE_BURST). */
  commentLimit: CommentRateLimit;
  /** The peer address of the HTTP connection (for rate limits; the app is served directly, not behind a proxy). */
  clientAddress: string;
  /** Services registered by later layers (collaboration, export) under a name. */
  services: Services;
}

/** Filled by the layers that provide them; a missing one means that feature is not mounted. */
export interface Services {
  [name: string]: unknown;
  /** PDF rendering in a pool of child processes (server/export). */
  pdf?: PdfService;
  /** Word and Markdown export in a worker thread (server/export). */
  documents?: DocumentService;
  /** Live Yjs documents (server/collab). */
  collab?: CollabService;
  /** Version history: versions, compare, restore, what each person last read (server/history). */
  history?: HistoryService;
  /** Word import in conversion threads (server/import). */
  docxImport?: DocxImportService;
  /** With REDIS_URL: the per-user cap on open event streams over all instances (server/redis/stream-slots.ts). */
  streamSlots?: StreamSlots;
}

declare module "@remix-run/server-runtime" {
  // Declaration merging: Remix's context type becomes ours, which needs an interface, not a type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends SummitContext {}
}
