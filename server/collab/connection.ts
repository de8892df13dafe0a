import crypto from "node:crypto";
import * as decoding from "lib0/decoding";
import type { RawData, WebSocket } from "ws";
import { canEditBody } from "../../db/enums";
import type { Role } from "../../db/schema";
import { getErrorMessage, type Logger } from "../logger";
import type { Presence } from "./awareness-guard";
import type { CollabMetrics, RejectReason } from "./collab-metrics";
import type { ByteBudget } from "./byte-budget";
import type { ParkedUpdate } from "./pending-guard";
import { CLOSE, clampReason, closeForWsCode, type CloseSpec } from "./close-codes";
import { CountedHold } from "./counted-hold";
import { rawSocket } from "./frame";
import { MESSAGE_SUGGESTION_DECISION, readDecisionRequest, type DecisionRequest } from "../../extensions/protocol/suggestion-decision";
import {
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  permissionDeniedMessage,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from "./protocol";

/** Who is on the other end, established at the upgrade from the session cookie. */
export interface CollabIdentity {
  userId: string;
  sessionId: string;
  /** When the session ends (epoch ms): sessions do not slide, so a decision after it is refused without a read. */
  sessionExpiresAt: number;
  role: Role;
  presence: Presence;
}

export interface ConnectionLimits {
  maxMessagesPerSecond: number;
  /** Bytes per user per second, shared by the user's sockets (COLLAB_MAX_BYTES_PER_SECOND). */
  byteBudget: ByteBudget;
  maxBufferedBytes: number;
  pingIntervalMs: number;
  /**
   * Longest time a socket is held (not read) while its access is re-read; over it the socket is
   * closed with 4500 and the client reconnects (COLLAB_ACCESS_READ_TIMEOUT_MS).
   */
  accessReadTimeoutMs: number;
  /** Where rejections and closes are reported (injected by the registry). */
  metrics: CollabMetrics;
}

/** The room side of a connection: what a decoded message turns into. */
export interface ConnectionHost {
  readonly briefingId: string;
  readonly final: boolean;
  /** A read of the briefing's status is in flight: its sockets are not read meanwhile (Room.hold). */
  readonly held: boolean;
  replySyncStep1(conn: Connection, stateVector: Uint8Array): void;
  receiveUpdate(conn: Connection, update: Uint8Array, kind: "sync" | "update"): void;
  receiveAwareness(conn: Connection, update: Uint8Array): void;
  sendAwarenessTo(conn: Connection): void;
  /** A suggested edit accepted or rejected over this socket (docs/decisions/0507); answered on it. */
  receiveDecision(conn: Connection, request: DecisionRequest): void;
  removeConnection(conn: Connection): void;
}

/**
 * One socket: decodes y-websocket messages, enforces the per-connection limits, runs the keepalive
 * and closes with a code from close-codes.ts. Any error in here ends this connection only.
 */
export class Connection {
  readonly id = crypto.randomBytes(6).toString("base64url");
  /** Awareness client ids this connection set; nobody else may set them. */
  readonly awarenessIds = new Set<number>();
  readOnlyStrikes = 0;
  /**
   * Updates from this socket still waiting for changes the server does not have (the room's
   * pending-guard keeps them here instead of in the Y.Doc); bounded by COLLAB_MAX_PENDING_BYTES.
   */
  parked: ParkedUpdate[] = [];
  parkedBytes = 0;
  /** Re-applies of the parked updates that still left something missing. */
  pendingRetries = 0;
  private role: Role;
  private closed = false;
  /** Access re-checks in flight for this connection (hold()). */
  private readonly holds = new CountedHold(() => this.followHolds());
  private paused = false;
  /** Closes a socket held past accessReadTimeoutMs (set while paused). */
  private holdTimer: NodeJS.Timeout | null = null;
  private alive = true;
  private tokens: number;
  private lastRefill = Date.now();
  private readonly pingTimer: NodeJS.Timeout;
  private killTimer: NodeJS.Timeout | null = null;
  private readonly nativeClose: WebSocket["close"];

  constructor(
    private readonly ws: WebSocket,
    readonly identity: CollabIdentity,
    private readonly host: ConnectionHost,
    private readonly limits: ConnectionLimits,
    private readonly logger: Logger,
  ) {
    this.role = identity.role;
    this.tokens = limits.maxMessagesPerSecond;
    ws.binaryType = "nodebuffer";
    // `ws` closes the socket itself on a bad frame (1002/1007) or an oversized message (1009)
    // before emitting 'error'; route that close through ours so the client sees our 44xx code.
    this.nativeClose = ws.close.bind(ws);
    ws.close = ((code?: number, reason?: string | Buffer) => {
      const mapped = closeForWsCode(code);
      if (!mapped) return this.nativeClose(code, reason);
      limits.metrics.rejected(mapped === CLOSE.messageTooLarge ? "message_too_large" : "bad_frame");
      this.close(mapped);
    }) as WebSocket["close"];
    ws.on("error", (err) => this.logger.debug("collab", "socket error", { ...this.fields(), error: getErrorMessage(err) }));
    ws.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    ws.on("pong", () => (this.alive = true));
    ws.on("close", () => this.onSocketClosed());
    this.pingTimer = setInterval(() => this.keepalive(), limits.pingIntervalMs);
    this.pingTimer.unref();
  }

  get userId(): string {
    return this.identity.userId;
  }

  get sessionId(): string {
    return this.identity.sessionId;
  }

  /** The role as of now: role changes reach open sockets at once (setRole). */
  get currentRole(): Role {
    return this.role;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Read-only for commenters and viewers, and for everyone while the briefing is final. */
  get readOnly(): boolean {
    return !canEditBody(this.role, { status: this.host.final ? "final" : "draft" });
  }

  /** Applies a role change at once (a downgrade makes the next update be dropped). */
  setRole(role: Role): void {
    const wasReadOnly = this.readOnly;
    this.role = role;
    if (!wasReadOnly) this.notifyIfReadOnly();
    this.checkDiverged();
  }

  /**
   * Stops reading this socket until the returned function is called: while its access is being
   * re-read, nothing it sends is taken with the role or status the read may replace. What it sends
   * meanwhile waits in the kernel's socket buffer and is handled, in order, once released.
   * Holds nest, and the room's hold (host.held) counts too.
   */
  hold(): () => void {
    return this.holds.take();
  }

  /**
   * Pauses or resumes the socket to match the holds on it and on its room. A socket held longer
   * than accessReadTimeoutMs (a read stuck behind a lock) is closed with 4500 instead of being left
   * unread: what it sent is still in the client's document, which merges it on reconnecting, and the
   * upgrade checks its access again (docs/decisions/0122).
   */
  followHolds(): void {
    const hold = !this.closed && (this.holds.held || this.host.held);
    if (hold === this.paused) return;
    this.paused = hold;
    if (hold) {
      this.ws.pause();
      this.holdTimer = setTimeout(() => this.holdExpired(), this.limits.accessReadTimeoutMs);
      this.holdTimer.unref();
    } else {
      if (this.holdTimer) clearTimeout(this.holdTimer);
      this.holdTimer = null;
      this.ws.resume();
    }
  }

  private holdExpired(): void {
    this.holdTimer = null;
    if (!this.paused || this.closed) return;
    this.logger.warn("collab", "access re-read not answered in time", { ...this.fields(), timeoutMs: this.limits.accessReadTimeoutMs });
    this.close(CLOSE.accessCheckFailed);
  }

  /**
   * Tells a client that just lost write access (role lowered, briefing finalized) at once, with
   * y-protocols' "permission denied", so its editor stops accepting typing it would lose.
   */
  notifyIfReadOnly(): void {
    if (!this.readOnly) return;
    const reason = this.host.final ? "briefing is final" : `role ${this.role} is read-only`;
    this.send(permissionDeniedMessage(reason));
  }

  /**
   * A connection whose updates were dropped holds content the room never got; its later updates
   * build on it and could never be applied. When it may write again it is closed (4412) so the
   * editor reloads from the server instead of silently diverging.
   */
  checkDiverged(): void {
    if (this.readOnlyStrikes > 0 && !this.readOnly) this.close(CLOSE.diverged);
  }

  send(message: Uint8Array): void {
    if (!this.writable()) return;
    try {
      this.ws.send(message);
    } catch (err) {
      this.logger.warn("collab", "send failed", { ...this.fields(), error: getErrorMessage(err) });
      this.close(CLOSE.internalError);
    }
  }

  /** Sends a message framed once for many receivers (`binaryFrame(message)`; server/collab/frame.ts). */
  sendFrame(frame: Buffer, message: Uint8Array): void {
    if (!this.writable()) return;
    const socket = rawSocket(this.ws);
    if (!socket) return this.send(message);
    try {
      socket.write(frame);
    } catch (err) {
      this.logger.warn("collab", "send failed", { ...this.fields(), error: getErrorMessage(err) });
      this.close(CLOSE.internalError);
    }
  }

  /** Open, and not holding more unsent bytes than a client may (a slow reader is closed with 4430). */
  private writable(): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.limits.metrics.rejected("slow_reader");
      this.close(CLOSE.slowReader);
      return false;
    }
    return true;
  }

  /** Closes with one of our codes, leaves the room at once, and kills the socket if the client never answers. */
  close(spec: CloseSpec): void {
    if (this.closed) return;
    this.closed = true;
    // A held socket is read again so the client's close frame is seen (its messages are ignored now).
    this.followHolds();
    clearInterval(this.pingTimer);
    this.dropParked();
    this.limits.metrics.closed(spec.code);
    this.logger.info("collab", "connection closed by server", { ...this.fields(), code: spec.code, reason: spec.reason });
    try {
      this.nativeClose(spec.code, clampReason(spec.reason));
    } catch {
      this.ws.terminate();
    }
    this.killTimer = setTimeout(() => this.ws.terminate(), 2000);
    this.killTimer.unref();
    this.host.removeConnection(this);
  }

  private onSocketClosed(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    this.dropParked();
    this.host.removeConnection(this);
  }

  /** Forgets updates that never integrated: nothing unintegrated outlives its socket. */
  private dropParked(): void {
    this.parked = [];
    this.parkedBytes = 0;
  }

  private keepalive(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.close(CLOSE.pingTimeout);
      this.ws.terminate();
      return;
    }
    this.alive = false;
    try {
      this.ws.ping();
    } catch {
      this.close(CLOSE.pingTimeout);
    }
  }

  private takeToken(): boolean {
    const now = Date.now();
    const rate = this.limits.maxMessagesPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.lastRefill) / 1000) * rate);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private reject(reason: RejectReason, spec: CloseSpec): void {
    this.limits.metrics.rejected(reason);
    this.close(spec);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.alive = true;
    try {
      if (!isBinary) return this.reject("text_frame", { code: CLOSE.malformedMessage.code, reason: "text frames are not supported" });
      if (!this.takeToken()) return this.reject("rate_limit", CLOSE.rateLimited);
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      // Before any decoding: the cost of a message grows with its size, not its count.
      if (!this.limits.byteBudget.take(this.identity.userId, bytes.byteLength)) return this.reject("byte_rate_limit", CLOSE.byteRateLimited);
      this.dispatch(bytes);
    } catch (err) {
      this.logger.info("collab", "malformed message", { ...this.fields(), error: getErrorMessage(err) });
      this.reject("malformed", { code: CLOSE.malformedMessage.code, reason: `malformed message: ${getErrorMessage(err)}` });
    }
  }

  private dispatch(bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      expectEnd(decoder);
      if (step === SYNC_STEP1) this.host.replySyncStep1(this, payload);
      else if (step === SYNC_STEP2 || step === SYNC_UPDATE) this.host.receiveUpdate(this, payload, step === SYNC_STEP2 ? "sync" : "update");
      else throw new Error(`unknown sync step ${step}`);
    } else if (type === MESSAGE_AWARENESS) {
      const payload = decoding.readVarUint8Array(decoder);
      expectEnd(decoder);
      this.host.receiveAwareness(this, payload);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      expectEnd(decoder);
      this.host.sendAwarenessTo(this);
    } else if (type === MESSAGE_SUGGESTION_DECISION) {
      const request = readDecisionRequest(decoder);
      expectEnd(decoder);
      this.host.receiveDecision(this, request);
    } else {
      throw new Error(`unknown message type ${type}`);
    }
  }

  fields() {
    return { briefingId: this.host.briefingId, userId: this.identity.userId, connId: this.id };
  }
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after message");
}
