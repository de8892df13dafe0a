import { getBriefing } from "../../db/queries/briefings";
import type { Store } from "../../db/store";
import type { Logger } from "../logger";
import { settleAll } from "../settle-all";
import { isStoredDocumentCorrupt } from "../persistence/corruption";
import type { DocumentStore } from "../persistence/document-store";
import { AccessRereads } from "./access-rereads";
import { CLOSE, type CloseSpec } from "./close-codes";
import { Connection, type CollabIdentity, type ConnectionLimits } from "./connection";
import { DecisionRelay, type DecisionHandler } from "./decision-relay";
import { BriefingNotEditableError, LoadAborted } from "./registry-errors";
import { Room, type RoomOptions } from "./room";
import { RoomListeners, type ChangedListener, type SettledListener } from "./room-listeners";
import type { WebSocket } from "ws";
import type * as Y from "yjs";

export { BriefingNotEditableError } from "./registry-errors";
export type { ChangedListener, SettledListener } from "./room-listeners";

/**
 * Limits plus the two injected dependencies every room and connection shares: `metrics`
 * (CollabMetrics) and `fanout` (RoomFanout, the updates of other processes).
 */
export interface RegistryOptions extends RoomOptions, ConnectionLimits {
  maxConnectionsPerBriefing: number;
  maxConnectionsPerUser: number;
}

/** Log rows at which an unloading room folds its log into the snapshot. */
const UNLOAD_COMPACT_MIN_ROWS = 32;

/** A room being read from storage, and what happened to it meanwhile. */
interface Loading {
  promise: Promise<Room>;
  /** Sockets waiting for it (counted against the per-briefing cap). */
  waiting: number;
  /** Set when the briefing was deleted or the server began shutting down during the load. */
  abort: CloseSpec | null;
  /** Access or status changed during the load: re-applied to the new connections once they joined. */
  changed: boolean;
  /** Sessions revoked during the load. */
  revoked: Set<string>;
}

/**
 * Briefing id → Room. Loads a room on its first connection (joins during a load share the one
 * in-flight load), unloads it once after the last connection left and storage took every update,
 * and applies access changes to open connections at once.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loads = new Map<string, Loading>();
  private closing: CloseSpec | null = null;
  private readonly perUser = new Map<string, number>();
  private readonly listeners: RoomListeners;
  private readonly decisions: DecisionRelay;
  /** Access and status re-reads of open sockets (docs/decisions/0122). */
  private readonly rereads: AccessRereads;
  /** Access changes heard of so far (accessEpoch). */
  private changesHeard = 0;

  /** `queries`: the database's query layer (SQLite or PostgreSQL), for access and status reads. */
  constructor(
    private readonly queries: Store,
    private readonly store: DocumentStore,
    private readonly options: RegistryOptions,
    private readonly logger: Logger,
  ) {
    this.decisions = new DecisionRelay(logger);
    this.listeners = new RoomListeners(logger);
    this.rereads = new AccessRereads(
      queries,
      {
        room: (briefingId) => this.rooms.get(briefingId),
        statusChanging: (briefingId) => {
          const loading = this.loads.get(briefingId);
          if (loading) loading.changed = true;
        },
        briefingDeleted: (briefingId) => this.briefingDeleted(briefingId),
      },
      logger,
    );
  }

  /**
   * Bumped by every access change this registry hears of. An upgrade notes it before it reads the
   * session and role; a socket that joins after a change its reads may have missed re-reads them.
   */
  get accessEpoch(): number {
    return this.changesHeard;
  }

  get(briefingId: string): Room | undefined {
    return this.rooms.get(briefingId);
  }

  stats() {
    let connections = 0;
    let pendingUpdates = 0;
    for (const room of this.rooms.values()) {
      connections += room.connections.size;
      pendingUpdates += room.persistence.pendingCount;
    }
    return { rooms: this.rooms.size, connections, pendingUpdates };
  }

  /** Why a new connection would go over a cap, or null when it fits. */
  capacityProblem(briefingId: string, userId: string): "user" | "briefing" | null {
    if ((this.perUser.get(userId) ?? 0) >= this.options.maxConnectionsPerUser) return "user";
    const joined = (this.rooms.get(briefingId)?.connections.size ?? 0) + (this.loads.get(briefingId)?.waiting ?? 0);
    if (joined >= this.options.maxConnectionsPerBriefing) return "briefing";
    return null;
  }

  /** Who decides suggestions sent over sockets (the app's suggestion rules); none: answered 503. */
  handleDecisions(handler: DecisionHandler | null): void {
    this.decisions.handle(handler);
  }

  onSettled(listener: SettledListener): () => void {
    return this.listeners.onSettled(listener);
  }

  /** Every change a room's own connections (or the server) made, with who made it. */
  onChanged(listener: ChangedListener): () => void {
    return this.listeners.onChanged(listener);
  }

  /** A room is about to unload (its document is still readable), or is dropped at shutdown. */
  onUnloading(listener: SettledListener): () => void {
    return this.listeners.onUnloading(listener);
  }

  /**
   * Opens a connection on an accepted socket: loads the room if needed, or closes 4510 when the
   * stored state is damaged and 4500 when loading fails otherwise. A refused load registers no room,
   * so nothing is ever stored over the damaged rows and the next connection is refused again.
   *
   * While the room loads the socket is paused: it reads nothing, so no message can be handled
   * before there is a room (or lost), and what the client sends meanwhile waits in the kernel's
   * socket buffer, bounded by TCP flow control instead of a queue of ours. A socket that closes
   * meanwhile (its close frame is read once resumed, a reset at once) never joins. Never rejects.
   *
   * `admittedAt`: the accessEpoch noted before the identity, `teamId` and `final` were read; when
   * access changed since, they are read again for this socket once it joined (held till then).
   */
  async connect(ws: WebSocket, briefingId: string, identity: CollabIdentity, teamId: string, final: boolean, admittedAt?: number): Promise<Connection | null> {
    const stale = () => admittedAt !== undefined && admittedAt !== this.changesHeard;
    let room = this.rooms.get(briefingId);
    if (!room) {
      const loading = this.loadShared(briefingId, teamId, final);
      let gone = false;
      const onClose = () => (gone = true);
      ws.on("error", () => {});
      ws.once("close", onClose);
      ws.pause();
      loading.waiting++;
      try {
        room = await loading.promise;
      } catch (err) {
        this.refuseLoad(ws, err, briefingId, identity.userId);
        return null;
      } finally {
        loading.waiting--;
        ws.off("close", onClose);
        ws.resume();
      }
      if (loading.revoked.has(identity.sessionId)) return this.refuse(ws, CLOSE.unauthenticated);
      if (gone || ws.readyState !== ws.OPEN) return null;
      const conn = this.join(ws, room, identity);
      // The role or status read at the upgrade may be stale by now: re-read them for this socket.
      if (loading.changed || stale()) await this.rereads.joined(room, conn);
      return conn;
    }
    const conn = this.join(ws, room, identity);
    if (stale()) await this.rereads.joined(room, conn);
    return conn;
  }

  private join(ws: WebSocket, room: Room, identity: CollabIdentity): Connection {
    const conn = new Connection(ws, identity, room, this.options, this.logger);
    this.countUser(identity.userId, +1);
    room.addConnection(conn);
    this.logger.info("collab", "connection opened", { ...conn.fields(), role: identity.role, readOnly: conn.readOnly });
    return conn;
  }

  private refuseLoad(ws: WebSocket, err: unknown, briefingId: string, userId: string): void {
    if (err instanceof LoadAborted) return void this.refuse(ws, err.spec);
    // The store already logged and counted a damaged document.
    const spec = isStoredDocumentCorrupt(err) ? CLOSE.storedDocumentCorrupt : CLOSE.internalError;
    if (spec === CLOSE.internalError) this.logger.error("collab room load failed", err, { briefingId, userId });
    else this.logger.warn("collab", "connection refused: stored document is damaged", { briefingId, userId });
    this.refuse(ws, spec);
  }

  private refuse(ws: WebSocket, spec: CloseSpec): null {
    this.options.metrics.closed(spec.code);
    ws.on("error", () => {});
    ws.close(spec.code, spec.reason);
    return null;
  }

  /**
   * Runs `fn` on the briefing's live document (Room.applyServerChange), loading the room when
   * nobody has it open; a room loaded for this is unloaded again once storage has the change.
   * Rejects when the briefing is unknown, final or deleted, or its stored document cannot be loaded.
   *
   * An open room's `teamId` and `final` are current once no status read is in flight: the event
   * that announces a change holds the room's sockets and waits here until briefingChanged applied
   * its read, and every edit its sockets send is checked against them too. So the check below, in
   * the same synchronous step as the write, needs no read of the briefing (docs/decisions/0507, 0122).
   */
  async change<T>(briefingId: string, userId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    let room = this.rooms.get(briefingId);
    let loaded = false;
    if (!room) {
      const briefing = await getBriefing(this.queries, briefingId);
      if (!briefing) throw new BriefingNotEditableError("deleted");
      room = await this.loadShared(briefingId, briefing.teamId, briefing.status === "final").promise;
      loaded = true;
    }
    // Before any await: the status read below waits on the database (PostgreSQL), and a room loaded
    // for this change has no connection, so its after-load check would unload it meanwhile.
    const release = room.serverChanges.take();
    try {
      // A finalize or deletion announced while it loaded reached no room: read the briefing again.
      if (loaded) await this.rereads.status(briefingId);
      await this.rereads.statusIdle(briefingId);
      if (this.rooms.get(briefingId) !== room) throw new BriefingNotEditableError("deleted");
      if (room.final) throw new BriefingNotEditableError("final");
      return room.applyServerChange(userId, fn);
    } finally {
      release();
      if (room.connections.size === 0) void this.tryUnload(room);
    }
  }

  /**
   * A member's role changed or they left: re-read their access for each open briefing of that team.
   * Resolves once every read applied (the bus awaits it, so the member route answers after), and
   * their sockets are not read until then: nothing they send after the change is taken with the
   * old role (docs/decisions/0122).
   */
  async membershipChanged(teamId: string, userId: string): Promise<void> {
    this.changesHeard++;
    for (const loading of this.loads.values()) loading.changed = true;
    const checks: Promise<void>[] = [];
    for (const room of this.rooms.values()) {
      if (room.teamId !== teamId) continue;
      for (const conn of room.connections) if (conn.userId === userId) checks.push(this.rereads.access(room, conn));
    }
    await settleAll(checks);
  }

  sessionRevoked(sessionId: string): void {
    this.changesHeard++;
    for (const loading of this.loads.values()) loading.revoked.add(sessionId);
    this.closeWhere((conn) => conn.sessionId === sessionId, CLOSE.unauthenticated);
  }

  /**
   * Status or details changed: `final` makes everyone read-only, back to draft restores writers.
   * Until the read is applied the room's sockets are not read and change() waits, so no edit is
   * taken as a draft's on a briefing that was just finalized; only the newest of overlapping reads
   * applies. A failed read closes the room's sockets (4500): its status is unknown.
   */
  async briefingChanged(briefingId: string): Promise<void> {
    this.changesHeard++;
    await this.rereads.status(briefingId);
  }

  briefingDeleted(briefingId: string): void {
    this.changesHeard++;
    const loading = this.loads.get(briefingId);
    if (loading) loading.abort = CLOSE.unknownBriefing;
    const room = this.rooms.get(briefingId);
    if (!room) return;
    // Out of the registry first, so the closes below do not try to store a deleted briefing.
    this.rooms.delete(briefingId);
    room.persistence.dispose();
    room.closeAll(CLOSE.unknownBriefing);
    room.destroy();
    this.logger.info("collab", "room dropped: briefing deleted", { briefingId });
  }

  /**
   * Shutdown: close every socket with `spec` (also those waiting for a load), store every room,
   * unload. Resolves to the rooms that could not be stored; called again to retry them.
   */
  async shutdown(spec: CloseSpec): Promise<string[]> {
    this.closing = spec;
    for (const loading of this.loads.values()) loading.abort ??= spec;
    await Promise.allSettled(Array.from(this.loads.values(), (l) => l.promise));
    const failed: string[] = [];
    for (const room of Array.from(this.rooms.values())) {
      room.closeAll(spec);
      if (this.rooms.has(room.briefingId) && !(await this.tryUnload(room))) failed.push(room.briefingId);
    }
    return failed;
  }

  /**
   * Access changes made on other instances may have been missed (docs/decisions/0109): re-read every
   * open connection's session, role and briefing status from the database, which is what those
   * changes would have told us.
   */
  async recheckAll(): Promise<void> {
    this.changesHeard++;
    for (const loading of this.loads.values()) loading.changed = true;
    await this.rereads.all(Array.from(this.rooms.values()));
  }

  private closeWhere(match: (conn: Connection) => boolean, spec: CloseSpec): void {
    for (const room of Array.from(this.rooms.values())) {
      for (const conn of Array.from(room.connections)) if (match(conn)) conn.close(spec);
    }
  }

  /** The one in-flight load of a briefing, started by its first join and shared by the others. */
  private loadShared(briefingId: string, teamId: string, final: boolean): Loading {
    const existing = this.loads.get(briefingId);
    if (existing) return existing;
    const loading: Loading = { promise: null as unknown as Promise<Room>, waiting: 0, abort: this.closing, changed: false, revoked: new Set() };
    loading.promise = this.load(briefingId, teamId, final, loading).finally(() => {
      if (this.loads.get(briefingId) === loading) this.loads.delete(briefingId);
    });
    this.loads.set(briefingId, loading);
    return loading;
  }

  private async load(briefingId: string, teamId: string, final: boolean, loading: Loading): Promise<Room> {
    const room = await Room.load(
      briefingId,
      teamId,
      final,
      this.store,
      this.options,
      {
        settled: (r) => this.listeners.emitSettled(r),
        left: (conn) => this.countUser(conn.userId, -1),
        empty: (r) => void this.tryUnload(r),
        gone: (r) => this.briefingDeleted(r.briefingId),
        changed: (r, userId, update, clients) => this.listeners.emitChanged(r, userId, update, clients),
        decision: (r, conn, request) => this.decisions.relay(r, conn, request),
      },
      this.logger,
    );
    if (loading.abort) {
      room.destroy();
      throw new LoadAborted(loading.abort);
    }
    room.persistence.onDrained = () => {
      if (room.connections.size === 0 && this.rooms.get(briefingId) === room) void this.tryUnload(room);
    };
    this.rooms.set(briefingId, room);
    this.logger.info("collab", "room loaded", { briefingId, logLength: room.persistence.logLength });
    // Every waiting socket may have closed during the load: then nobody joins and "empty" never
    // fires. Checked after the waiters resumed (they run as microtasks, before this).
    setImmediate(() => {
      if (room.connections.size === 0 && this.rooms.get(briefingId) === room) void this.tryUnload(room);
    });
    return room;
  }

  /**
   * Unloads a room with no connections once storage holds everything; false while it cannot.
   * Re-checks after each wait: a socket may join, or send, while the flush is in flight.
   */
  private async tryUnload(room: Room): Promise<boolean> {
    if (this.rooms.get(room.briefingId) !== room) return true; // already dropped
    if (room.connections.size > 0 || room.serverChanges.held) return false;
    if (!(await room.persistence.flush())) return false; // retried on the next tick; onDrained comes back here
    // A short log is cheap to replay; rewriting the whole snapshot after a one-keystroke visit is not.
    if (room.persistence.logLength >= UNLOAD_COMPACT_MIN_ROWS && this.rooms.get(room.briefingId) === room && room.connections.size === 0) {
      await room.persistence.compact();
    }
    if (this.rooms.get(room.briefingId) !== room) return true;
    if (room.connections.size > 0 || room.serverChanges.held) return false;
    if (room.persistence.pendingCount > 0) return this.closing ? this.tryUnload(room) : false; // its tick's onDrained comes back here
    this.unload(room);
    return true;
  }

  private unload(room: Room): void {
    this.listeners.emitUnloading(room);
    this.rooms.delete(room.briefingId);
    room.destroy();
    this.logger.info("collab", "room unloaded", { briefingId: room.briefingId });
  }

  private countUser(userId: string, delta: number): void {
    const n = (this.perUser.get(userId) ?? 0) + delta;
    if (n > 0) this.perUser.set(userId, n);
    else this.perUser.delete(userId);
  }
}
