import { getBriefing, getBriefingAccess } from "../../db/queries/briefings";
import { isSessionActive } from "../../db/queries/sessions";
import type { Store } from "../../db/store";
import type { Logger } from "../logger";
import { settleAll } from "../settle-all";
import { CLOSE } from "./close-codes";
import type { Connection } from "./connection";
import { LatestReads } from "./latest-reads";
import type { Room } from "./room";

/** What the re-reads need of the registry. */
export interface RereadHost {
  /** The briefing's open room, or undefined (none, unloaded or deleted). */
  room(briefingId: string): Room | undefined;
  /** The briefing's status is being re-read: a load in flight re-applies access to its sockets once joined. */
  statusChanging(briefingId: string): void;
  /** The status read found the briefing gone. */
  briefingDeleted(briefingId: string): void;
}

/**
 * Re-reads open sockets' access through the Store after an access change (docs/decisions/0122):
 * a connection's session and role, a briefing's status. The sockets concerned are held (not read)
 * until the answer applied; only the newest read of a connection or briefing applies; a failed
 * read closes what it could not check (4500).
 */
export class AccessRereads {
  /** Status reads per briefing and access reads per connection: only the newest applies. */
  private readonly statusReads = new LatestReads<string>();
  private readonly accessReads = new LatestReads<Connection>();

  /** `queries`: the database's query layer (SQLite or PostgreSQL). */
  constructor(
    private readonly queries: Store,
    private readonly host: RereadHost,
    private readonly logger: Logger,
  ) {}

  /** Resolves once no status read of the briefing is in flight (its room's `final` is current then). */
  statusIdle(briefingId: string): Promise<void> {
    return this.statusReads.idle(briefingId);
  }

  /** Re-reads the status and this connection's session and role, reading nothing from it until all applied. Never rejects. */
  async joined(room: Room, conn: Connection): Promise<void> {
    const release = conn.hold();
    try {
      await this.status(room.briefingId);
      if (!conn.isClosed && this.host.room(room.briefingId) === room) await this.access(room, conn, true);
    } catch (err) {
      // The failed read closed what it could not check.
      this.logger.error("collab: re-reading access after a load failed", err, conn.fields());
    } finally {
      release();
    }
  }

  /** Every open connection's session, role and briefing status (a resync after missed changes). */
  async all(rooms: Room[]): Promise<void> {
    await settleAll(
      rooms.map(async (room) => {
        await this.status(room.briefingId);
        if (this.host.room(room.briefingId) !== room) return; // deleted meanwhile
        await settleAll(Array.from(room.connections, (conn) => this.access(room, conn, true)));
      }),
    );
  }

  /**
   * Reads one connection's role and applies it, unless a later read for the same connection
   * started meanwhile (that one applies instead: an older answer never overwrites a newer one). A
   * failed read closes the connection (4500): it is not left with a role it may no longer have.
   */
  async access(room: Room, conn: Connection, sessionCheck = false): Promise<void> {
    const read = this.accessReads.start(conn);
    const release = conn.hold();
    try {
      // Both at once when resyncing: the answers may come back in any order, the ticket decides.
      const [active, access] = await Promise.all([
        sessionCheck ? isSessionActive(this.queries, conn.sessionId) : true,
        getBriefingAccess(this.queries, room.briefingId, conn.userId),
      ]).catch((err: unknown) => {
        if (read.current()) conn.close(CLOSE.accessCheckFailed);
        throw err;
      });
      if (!active) return conn.close(CLOSE.unauthenticated);
      if (!read.current() || conn.isClosed) return;
      if (!access) conn.close(CLOSE.forbidden);
      else conn.setRole(access.role);
    } finally {
      release();
      read.end();
    }
  }

  /**
   * Reads the briefing's status and applies it to its room: `final` makes everyone read-only, back
   * to draft restores writers, another team re-reads every socket's role. Until then the room's
   * sockets are not read and statusIdle() waits; only the newest of overlapping reads applies. A
   * failed read closes the room's sockets (4500): its status is unknown.
   */
  async status(briefingId: string): Promise<void> {
    this.host.statusChanging(briefingId);
    const room = this.host.room(briefingId);
    if (!room) return;
    const read = this.statusReads.start(briefingId);
    const release = room.hold();
    try {
      const briefing = await getBriefing(this.queries, briefingId).catch((err: unknown) => {
        if (read.current() && this.host.room(briefingId) === room) room.closeAll(CLOSE.accessCheckFailed);
        throw err;
      });
      if (!read.current() || this.host.room(briefingId) !== room) return;
      if (!briefing) return this.host.briefingDeleted(briefingId);
      const wasFinal = room.final;
      room.final = briefing.status === "final";
      if (room.final && !wasFinal) for (const conn of Array.from(room.connections)) conn.notifyIfReadOnly();
      if (!room.final) for (const conn of Array.from(room.connections)) conn.checkDiverged();
      if (room.teamId !== briefing.teamId) {
        room.teamId = briefing.teamId;
        await settleAll(Array.from(room.connections, (conn) => this.access(room, conn)));
      }
    } finally {
      release();
      read.end();
    }
  }
}
