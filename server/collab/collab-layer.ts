import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { originPolicy } from "../http/same-origin";
import { admissionCacheHits, promCollabMetrics, setCollabStatsSource, storageMetrics } from "../metrics";
import { openDocumentStore } from "../persistence/document-stores";
import type { ServerLayer } from "../start";
import { AdmissionCache } from "./admission-cache";
import { ByteBudget } from "./byte-budget";
import { CLOSE } from "./close-codes";
import { createConnectionLedger } from "../redis/connection-ledger";
import { createStreamFanout } from "../redis/stream-fanout";
import { noFanout } from "./fanout";
import { RoomRegistry } from "./rooms";
import { createCollabService } from "./service";
import { createUpgradeHandler } from "./upgrade";
import { decideOverSocket } from "../../app/utils/suggestion-socket.server";

/** Read-only connections may send this many document updates (all dropped) before they are closed. */
const READ_ONLY_STRIKE_LIMIT = 20;

/**
 * Real-time collaboration: the `/collab/<briefingId>` WebSocket endpoint, the rooms, Yjs
 * persistence, and `services.collab`. On close (SIGTERM) it stops accepting, closes sockets with
 * 4503, and stores every room before resolving.
 */
export function collabLayer(): ServerLayer {
  let shutdown: (() => Promise<void>) | null = null;
  return {
    name: "collab",
    attach({ db, store: queries, config, logger, events, sessionCookie, authLimits, commentLimit, services, server }) {
      // Every refused load (room, export, comments, page) is logged and counted here, once.
      // Several instances: updates between them go through Redis streams (docs/decisions/0109).
      const fanout = config.REDIS_URL
        ? createStreamFanout({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, maxEntries: config.REDIS_STREAM_MAX_ENTRIES,
            // Far above the flush tick: only an instance that died leaves an update unacknowledged.
            confirmMs: Math.max(2000, 4 * config.COLLAB_FLUSH_MS),
            logger,
          })
        : null;
      // The database's own document store: SQLite's file or PostgreSQL (docs/decisions/0111).
      const store = openDocumentStore(queries, {
        // Other instances write the same briefings: a compaction must keep what they stored.
        shared: fanout !== null,
        onCorrupt(err) {
          storageMetrics.corrupt.inc({ kind: err.kind });
          logger.error("stored document is damaged: refusing to load it", err, { briefingId: err.briefingId, kind: err.kind, detail: err.detail });
        },
      });
      const registry = new RoomRegistry(
        queries,
        store,
        {
          flushMs: config.COLLAB_FLUSH_MS,
          compactAfter: config.COLLAB_COMPACT_AFTER_UPDATES,
          maxDocumentBytes: config.COLLAB_MAX_DOCUMENT_BYTES,
          settleMs: config.PROJECTION_DEBOUNCE_MS,
          readOnlyStrikeLimit: READ_ONLY_STRIKE_LIMIT,
          maxPendingBytes: config.COLLAB_MAX_PENDING_BYTES,
          maxPendingRetries: config.COLLAB_MAX_PENDING_RETRIES,
          maxMessagesPerSecond: config.COLLAB_MAX_MESSAGES_PER_SECOND,
          byteBudget: new ByteBudget(config.COLLAB_MAX_BYTES_PER_SECOND, Math.max(config.COLLAB_MAX_BYTES_BURST, config.COLLAB_MAX_MESSAGE_BYTES)),
          maxBufferedBytes: config.COLLAB_MAX_BUFFERED_BYTES,
          pingIntervalMs: config.COLLAB_PING_INTERVAL_MS,
          accessReadTimeoutMs: config.COLLAB_ACCESS_READ_TIMEOUT_MS,
          maxConnectionsPerBriefing: config.COLLAB_MAX_CONNECTIONS_PER_BRIEFING,
          maxConnectionsPerUser: config.COLLAB_MAX_CONNECTIONS_PER_USER,
          metrics: promCollabMetrics,
          fanout: fanout ?? noFanout,
          mergedBlocks: { ttlMs: config.COLLAB_MERGED_BLOCK_MS, maxRuns: config.COLLAB_MERGED_BLOCK_MAX_RUNS },
        },
        logger,
      );
      services.collab = createCollabService(registry, store);
      // Suggestions accepted over the socket run the app's own rules on the app's context (docs/decisions/0507).
      const appContext = { db, store: queries, config, logger, events, sessionCookie, authLimits, commentLimit, services, clientAddress: "collab socket" };
      registry.handleDecisions((request) => decideOverSocket(appContext, request));
      setCollabStatsSource(registry);

      // Several instances: the connection caps hold over all of them (docs/decisions/0113).
      const ledger = config.REDIS_URL
        ? createConnectionLedger({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX,
            maxPerUser: config.COLLAB_MAX_CONNECTIONS_PER_USER,
            maxPerBriefing: config.COLLAB_MAX_CONNECTIONS_PER_BRIEFING,
            instanceTimeoutMs: config.REDIS_INSTANCE_TIMEOUT_MS,
            timeoutMs: config.REDIS_LIMITS_TIMEOUT_MS,
            logger,
          })
        : undefined;
      const admissions = new AdmissionCache(config.COLLAB_ADMISSION_CACHE_MS, (kind) => admissionCacheHits.inc({ kind }));
      const upgrade = createUpgradeHandler({
        store: queries,
        logger,
        sessionCookie,
        registry,
        origins: originPolicy(config),
        maxMessageBytes: config.COLLAB_MAX_MESSAGE_BYTES,
        metrics: promCollabMetrics,
        cache: admissions,
        ledger,
      });
      const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade.handle(req, socket, head);
      server.on("upgrade", onUpgrade);

      // The promise goes back to the bus, which awaits it: the route that published answers once the
      // change applied here (docs/decisions/0122). A failure is logged; the route's change stands.
      const guard = async (what: string, fn: () => void | Promise<void>) => {
        try {
          await fn();
        } catch (err) {
          logger.error(`collab: handling ${what} failed`, err);
        }
      };
      // The admission cache forgets first, so an upgrade after the publish is looked up afresh.
      const onMembership = (e: { teamId: string; userId: string }) => {
        admissions.forgetAccess();
        return guard("membershipChanged", () => registry.membershipChanged(e.teamId, e.userId));
      };
      const onSession = (e: { sessionId: string }) => {
        admissions.forgetSession(e.sessionId);
        return guard("sessionRevoked", () => registry.sessionRevoked(e.sessionId));
      };
      const onChanged = (e: { briefingId: string }) => {
        admissions.forgetAccess();
        return guard("briefingChanged", () => registry.briefingChanged(e.briefingId));
      };
      const onDeleted = (e: { briefingId: string }) => {
        admissions.forgetAccess();
        return guard("briefingDeleted", () => registry.briefingDeleted(e.briefingId));
      };
      const onResync = () => {
        admissions.forgetAll();
        return guard("resync", () => registry.recheckAll());
      };
      const unsubscribe = [
        events.subscribe("resync", onResync),
        events.subscribe("membershipChanged", onMembership),
        events.subscribe("sessionRevoked", onSession),
        events.subscribe("briefingChanged", onChanged),
        events.subscribe("briefingDeleted", onDeleted),
      ];

      shutdown = async () => {
        upgrade.stop();
        server.off("upgrade", onUpgrade);
        let failed = await registry.shutdown(CLOSE.serverRestarting);
        // Storage may be briefly busy: retry for a few seconds before giving up loudly.
        for (let attempt = 0; failed.length > 0 && attempt < 20; attempt++) {
          await new Promise((r) => setTimeout(r, 200));
          failed = await registry.shutdown(CLOSE.serverRestarting);
        }
        if (failed.length > 0) logger.error("collab: rooms not stored at shutdown", undefined, { briefingIds: failed.join(",") });
        for (const off of unsubscribe) off();
        await fanout?.close();
        await ledger?.close();
        setCollabStatsSource(null);
        logger.info("collab", "stopped", { rooms: registry.stats().rooms });
      };
    },
    async close() {
      await shutdown?.();
    },
  };
}
