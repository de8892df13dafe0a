import type { Db } from "../../db/client";
import { getBriefing, getBriefingAccess } from "../../db/queries/briefings";
import type { Logger } from "../logger";
import { collabMetrics } from "../metrics";
import { isStoredDocumentCorrupt } from "../persistence/corruption";
import type { DocumentStore } from "../persistence/document-store";
import { CLOSE, type CloseSpec } from "./close-codes";
import { Connection, type CollabIdentity, type ConnectionLimits } from "./connection";
import { Room, type RoomOptions } from "./room";
import type { WebSocket } from "ws";

export interface RegistryOptions extends RoomOptions, ConnectionLimits {
  maxConnectionsPerBriefing: number;
  maxConnectionsPerUser: number;
}

/** Log rows at which an unloading room folds its log into the snapshot. */
const UNLOAD_COMPACT_MIN_ROWS = 32;

export type SettledListener = (briefingId: string, room: Room) => void;

/**
 * Briefing id → Room. Loads a room on its first connection (a join during a load shares it, since
 * the store is synchronous), unloads it once after the last connection left and storage took every
 * update, and applies access changes to open connections at once.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly perUser = new Map<string, number>();
  private readonly settledListeners = new Set<SettledListener>();

  constructor(
    private readonly db: Db,
    private readonly store: DocumentStore,
    private readonly options: RegistryOptions,
    private readonly logger: Logger,
  ) {}

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
    if ((this.rooms.get(briefingId)?.connections.size ?? 0) >= this.options.maxConnectionsPerBriefing) return "briefing";
    return null;
  }

  onSettled(listener: SettledListener): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /**
   * Opens a connection on an accepted socket: loads the room if needed, or closes 4510 when the
   * stored state is damaged and 4500 when loading fails otherwise. A refused load registers no room,
   * so nothing is ever stored over the damaged rows and the next connection is refused again.
   */
  connect(ws: WebSocket, briefingId: string, identity: CollabIdentity, teamId: string, final: boolean): Connection | null {
    let room: Room;
    try {
      room = this.rooms.get(briefingId) ?? this.load(briefingId, teamId, final);
    } catch (err) {
      // The store already logged and counted a damaged document.
      const spec = isStoredDocumentCorrupt(err) ? CLOSE.storedDocumentCorrupt : CLOSE.internalError;
      if (spec === CLOSE.internalError) this.logger.error("collab room load failed", err, { briefingId, userId: identity.userId });
      else this.logger.warn("collab", "connection refused: stored document is damaged", { briefingId, userId: identity.userId });
      collabMetrics.closes.inc({ code: String(spec.code) });
      ws.on("error", () => {});
      ws.close(spec.code, spec.reason);
      return null;
    }
    const conn = new Connection(ws, identity, room, this.options, this.logger);
    this.countUser(identity.userId, +1);
    room.addConnection(conn);
    this.logger.info("collab", "connection opened", { ...conn.fields(), role: identity.role, readOnly: conn.readOnly });
    return conn;
  }

  /** A member's role changed or they left: re-read their access for each open briefing of that team. */
  membershipChanged(teamId: string, userId: string): void {
    for (const room of this.rooms.values()) {
      if (room.teamId !== teamId) continue;
      for (const conn of Array.from(room.connections)) {
        if (conn.userId !== userId) continue;
        const access = getBriefingAccess(this.db, room.briefingId, userId);
        if (!access) conn.close(CLOSE.forbidden);
        else conn.setRole(access.role);
      }
    }
  }

  sessionRevoked(sessionId: string): void {
    this.closeWhere((conn) => conn.sessionId === sessionId, CLOSE.unauthenticated);
  }

  /** Status or details changed: `final` makes everyone read-only, back to draft restores writers. */
  briefingChanged(briefingId: string): void {
    const room = this.rooms.get(briefingId);
    if (!room) return;
    const briefing = getBriefing(this.db, briefingId);
    if (!briefing) return this.briefingDeleted(briefingId);
    const wasFinal = room.final;
    room.final = briefing.status === "final";
    if (room.final && !wasFinal) for (const conn of Array.from(room.connections)) conn.notifyIfReadOnly();
    if (!room.final) for (const conn of Array.from(room.connections)) conn.checkDiverged();
    if (room.teamId !== briefing.teamId) {
      room.teamId = briefing.teamId;
      for (const conn of Array.from(room.connections)) this.membershipChanged(briefing.teamId, conn.userId);
    }
  }

  briefingDeleted(briefingId: string): void {
    const room = this.rooms.get(briefingId);
    if (!room) return;
    // Out of the registry first, so the closes below do not try to store a deleted briefing.
    this.rooms.delete(briefingId);
    room.persistence.dispose();
    room.closeAll(CLOSE.unknownBriefing);
    room.destroy();
    this.logger.info("collab", "room dropped: briefing deleted", { briefingId });
  }

  /** Shutdown: close every socket with `spec`, store every room, unload. Returns rooms that could not be stored. */
  shutdown(spec: CloseSpec): string[] {
    const failed: string[] = [];
    for (const room of Array.from(this.rooms.values())) {
      room.closeAll(spec);
      if (this.rooms.has(room.briefingId) && !this.tryUnload(room)) failed.push(room.briefingId);
    }
    return failed;
  }

  private closeWhere(match: (conn: Connection) => boolean, spec: CloseSpec): void {
    for (const room of Array.from(this.rooms.values())) {
      for (const conn of Array.from(room.connections)) if (match(conn)) conn.close(spec);
    }
  }

  private load(briefingId: string, teamId: string, final: boolean): Room {
    const room = new Room(
      briefingId,
      teamId,
      final,
      this.store,
      this.options,
      {
        settled: (r) => this.emitSettled(r),
        left: (conn) => this.countUser(conn.userId, -1),
        empty: (r) => this.tryUnload(r),
        gone: (r) => this.briefingDeleted(r.briefingId),
      },
      this.logger,
    );
    room.persistence.onDrained = () => {
      if (room.connections.size === 0 && this.rooms.get(briefingId) === room) this.tryUnload(room);
    };
    this.rooms.set(briefingId, room);
    this.logger.info("collab", "room loaded", { briefingId, logLength: room.persistence.logLength });
    return room;
  }

  /** Unloads a room with no connections once storage holds everything; false while it cannot. */
  private tryUnload(room: Room): boolean {
    if (this.rooms.get(room.briefingId) !== room) return true; // already dropped
    if (room.connections.size > 0) return false;
    if (!room.persistence.flush()) return false; // retried on the next tick; onDrained comes back here
    // A short log is cheap to replay; rewriting the whole snapshot after a one-keystroke visit is not.
    if (room.persistence.logLength >= UNLOAD_COMPACT_MIN_ROWS) room.persistence.compact();
    this.unload(room);
    return true;
  }

  private unload(room: Room): void {
    this.rooms.delete(room.briefingId);
    room.destroy();
    this.logger.info("collab", "room unloaded", { briefingId: room.briefingId });
  }

  private countUser(userId: string, delta: number): void {
    const n = (this.perUser.get(userId) ?? 0) + delta;
    if (n > 0) this.perUser.set(userId, n);
    else this.perUser.delete(userId);
  }

  private emitSettled(room: Room): void {
    for (const listener of this.settledListeners) {
      try {
        listener(room.briefingId, room);
      } catch (err) {
        this.logger.error("document settled listener failed", err, { briefingId: room.briefingId });
      }
    }
  }
}
