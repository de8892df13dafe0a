import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Cookie } from "@remix-run/node";
import { WebSocketServer } from "ws";
import type { Store } from "../../db/store";
import { getBriefing, getBriefingAccess } from "../../db/queries/briefings";
import { getSessionUser } from "../../db/queries/sessions";
import { isValidId } from "../../db/ids";
import { readSessionToken } from "../auth/session-cookie";
import { isAllowedOrigin, type OriginPolicy } from "../http/same-origin";
import type { Logger } from "../logger";
import type { AdmissionCache } from "./admission-cache";
import { EDITOR_SCHEMA_VERSION } from "../../extensions";
import { presenceFor } from "./awareness-guard";
import { CLOSE } from "./close-codes";
import type { CollabMetrics } from "./collab-metrics";
import type { CollabIdentity } from "./connection";
import type { RoomRegistry } from "./rooms";
import type { ConnectionLedger } from "../redis/connection-ledger";

export const COLLAB_PATH_PREFIX = "/collab/";

/** The same answer whether this instance's cap or the cluster-wide one (ledger) refuses. */
const CAP_MESSAGES = {
  user: "Too many open connections for this user.",
  briefing: "Too many open connections to this briefing.",
} as const;

export interface UpgradeDeps {
  /** The async query layer over the same database (sessions, briefing access). */
  store: Store;
  logger: Logger;
  sessionCookie: Cookie;
  registry: RoomRegistry;
  /** Our own origin(s): PUBLIC_URL when set, else the request Host; plus ALLOWED_ORIGINS. */
  origins: OriginPolicy;
  maxMessageBytes: number;
  metrics: CollabMetrics;
  /** Recently admitted sessions and memberships (admission-cache.ts); the layer invalidates it. */
  cache: AdmissionCache;
  /** Several instances: the connection caps counted over all of them (docs/decisions/0113). */
  ledger?: ConnectionLedger;
}

type Admission =
  | { ok: true; briefingId: string; identity: CollabIdentity; teamId: string; final: boolean; accessEpoch: number }
  | { ok: false; status: number; message: string };

/**
 * The HTTP `upgrade` handler for `/collab/<briefingId>`: checks the path and id, the Origin, the
 * session cookie, then membership, and refuses with a plain HTTP response before any socket or
 * room exists (401 / 403 / 404 / 400, 429 or 503 over a connection cap).
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes, clientTracking: false, perMessageDeflate: false });
  wss.on("error", (err) => deps.logger.error("collab websocket server error", err));
  let accepting = true;

  async function sessionOf(cookieHeader: string | undefined) {
    const cached = deps.cache.session(cookieHeader);
    if (cached) return cached;
    const token = await readSessionToken(deps.sessionCookie, cookieHeader);
    // Kept only if no revocation was published while it was looked up (the lookup awaits).
    const epoch = deps.cache.revocations;
    const session = token ? await getSessionUser(deps.store, token) : null;
    if (session) deps.cache.rememberSession(cookieHeader, session, epoch);
    return session;
  }

  async function admit(req: IncomingMessage): Promise<Admission> {
    // Noted before any read: a change announced between these reads and the join is re-read then.
    const accessEpoch = deps.registry.accessEpoch;
    const pathname = (req.url ?? "").split("?")[0];
    if (!pathname.startsWith(COLLAB_PATH_PREFIX)) return { ok: false, status: 404, message: "Not found." };
    const briefingId = pathname.slice(COLLAB_PATH_PREFIX.length);
    if (!isValidId(briefingId)) return { ok: false, status: 400, message: "Malformed briefing id." };
    const origin = req.headers.origin;
    // Browsers always send Origin; scripts without one still need a valid session cookie below.
    if (origin !== undefined && !isAllowedOrigin(origin, req.headers.host, deps.origins)) {
      return { ok: false, status: 403, message: "Cross-origin WebSocket refused." };
    }
    const session = await sessionOf(req.headers.cookie);
    if (!session) return { ok: false, status: 401, message: "Sign in to open this briefing." };
    let access = deps.cache.briefingAccess(briefingId, session.user.id);
    if (!access) {
      // Kept only if no access change was published while it was looked up (the lookup awaits).
      const epoch = deps.cache.accessChanges;
      access = await getBriefingAccess(deps.store, briefingId, session.user.id);
      if (!access) {
        return (await getBriefing(deps.store, briefingId))
          ? { ok: false, status: 403, message: "You are not a member of this briefing's team." }
          : { ok: false, status: 404, message: "Briefing not found." };
      }
      deps.cache.rememberAccess(briefingId, session.user.id, access, epoch);
    }
    const identity: CollabIdentity = {
      userId: session.user.id,
      sessionId: session.sessionId,
      sessionExpiresAt: session.expiresAt.getTime(),
      role: access.role,
      presence: presenceFor(session.user),
    };
    return { ok: true, briefingId, identity, teamId: access.briefing.teamId, final: access.briefing.status === "final", accessEpoch };
  }

  async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Node attaches no error listener to an upgraded socket; without one a reset kills the process.
    socket.on("error", (err) => deps.logger.debug("collab", "upgrade socket error", { error: err.message }));
    try {
      if (!accepting) return refuse(deps.metrics, socket, 503, "Server restarting.");
      const admission = await admit(req);
      if (!admission.ok) return refuse(deps.metrics, socket, admission.status, admission.message);
      if (!accepting) return refuse(deps.metrics, socket, 503, "Server restarting.");
      if (socket.destroyed) return;
      const { briefingId, identity } = admission;
      const over = deps.registry.capacityProblem(briefingId, identity.userId);
      if (over) return refuse(deps.metrics, socket, over === "user" ? 429 : 503, CAP_MESSAGES[over]);
      const cluster = deps.ledger ? await deps.ledger.admit(identity.userId, briefingId) : null;
      if (cluster && !cluster.ok) return refuse(deps.metrics, socket, cluster.over === "user" ? 429 : 503, CAP_MESSAGES[cluster.over]);
      // The slot is the socket's until its TCP connection closes, however the socket ends.
      if (cluster) socket.once("close", () => cluster.slot.release());
      if (socket.destroyed) return cluster?.slot.release();
      if (!accepting) return refuse(deps.metrics, socket, 503, "Server restarting.");
      const outdated = clientSchemaOutdated(req.url ?? "");
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (outdated) {
          // Closed after the handshake so the browser sees the code and reloads the page.
          ws.on("error", () => {});
          deps.metrics.closed(CLOSE.editorUpdateRequired.code);
          ws.close(CLOSE.editorUpdateRequired.code, CLOSE.editorUpdateRequired.reason);
          return;
        }
        // An unhandled rejection ends the process (server/index.ts): a failure here ends this socket only.
        deps.registry.connect(ws, briefingId, identity, admission.teamId, admission.final, admission.accessEpoch).catch((err: unknown) => {
          deps.logger.error("collab connect failed", err, { briefingId, userId: identity.userId });
          ws.terminate();
        });
      });
    } catch (err) {
      deps.logger.error("collab upgrade failed", err, { url: (req.url ?? "").slice(0, 100) });
      refuse(deps.metrics, socket, 500, "Internal error.");
    }
  }

  return {
    handle,
    /** Stop accepting new sockets (shutdown): later upgrades get 503. */
    stop() {
      accepting = false;
      wss.close();
    },
  };
}

/**
 * The browser editor sends `?schema=<EDITOR_SCHEMA_VERSION>`; a tab loaded before a schema change
 * must reload instead of writing nodes the server reads differently. Clients that send no version
 * (scripts, stock providers) are not checked.
 */
export function clientSchemaOutdated(url: string): boolean {
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  const sent = new URLSearchParams(query).get("schema");
  return sent !== null && sent !== String(EDITOR_SCHEMA_VERSION);
}

function refuse(metrics: CollabMetrics, socket: Duplex, status: number, message: string): void {
  metrics.upgradeRefused(status);
  if (socket.destroyed) return;
  const body = Buffer.from(message, "utf8");
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${message}`,
  );
}
