import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import type { Logger } from "../logger";
import type { DocumentStore, StoredDocument } from "../persistence/document-store";
import { decodeAwarenessUpdate, encodeAwarenessEntries, filterAwareness } from "./awareness-guard";
import type { CloseSpec } from "./close-codes";
import { CountedHold } from "./counted-hold";
import type { RoomFanout } from "./fanout";
import { binaryFrame } from "./frame";
import type { DecisionRequest } from "../../extensions/protocol/suggestion-decision";
import type { Connection, ConnectionHost } from "./connection";
import { MERGED_BLOCKS_MAP } from "../../app/suggestions/merged-block";
import { MergedBlocks, type MergedBlockLimits } from "./merged-blocks";
import { takePending } from "./pending-guard";
import { awarenessMessage, syncStep1Message, syncStep2Message, updateMessage } from "./protocol";
import { FROM_FANOUT, FROM_STORE, RoomFanoutLink } from "./room-fanout-link";
import { UpdateIntake, type IntakeLimits } from "./room-intake";
import { RoomPersistence, type PersistenceOptions } from "./room-persistence";
import { StateParts } from "./state-parts";
import { serverDoc } from "../yjs-doc";

export interface RoomOptions extends PersistenceOptions, IntakeLimits {
  settleMs: number;
  /** Carries this room's updates to the briefing's rooms in other processes, and theirs here. */
  fanout: RoomFanout;
  /** How long and how much of an accept's block merges is kept to move late typing (absent: none). */
  mergedBlocks?: MergedBlockLimits;
}

export interface RoomCallbacks {
  /** The document settled (debounced after the last change, and after loading a logged update). */
  settled(room: Room): void;
  /** A connection left (closed by either side). */
  left(conn: Connection): void;
  /** The last connection left (the registry decides whether to unload). */
  empty(room: Room): void;
  /** Storage says the briefing is gone. */
  gone(room: Room): void;
  /**
   * The document changed by `update`, sent by `userId` (null: the server itself); not for other
   * processes' updates. `clients` are the Yjs clients whose structs it added (none for a deletion alone).
   */
  changed?(room: Room, userId: string | null, update: Uint8Array, clients: number[]): void;
  /** A connection asked to accept or reject a suggestion (the registry answers it). */
  decision?(room: Room, conn: Connection, request: DecisionRequest): void;
}

/**
 * Transaction origin of a change the server makes on behalf of a person (a restore, an accepted
 * suggestion): stored and credited to `userId` like an update that person sent, and broadcast to
 * every connection.
 */
export class ServerEdit {
  constructor(readonly userId: string) {}
}

/** A state vector with no clients: a client joining with an empty document. */
const EMPTY_STATE_VECTOR = Y.encodeStateVector(serverDoc());

/**
 * One briefing's live document: its Y.Doc, its awareness and its connections. Broadcasts each
 * update, hands it to storage, and schedules the settled callback (projection).
 */
export class Room implements ConnectionHost {
  /** Its guid is the briefing id (serverDoc: a root document's guid is not in its updates). */
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly connections = new Set<Connection>();
  readonly persistence: RoomPersistence;
  private readonly awarenessOwners = new Map<number, Connection>();
  private fullState: Uint8Array | null = null;
  /** The state as the rows or encoding it came from plus the changes since, for stateParts(). */
  private readonly parts = new StateParts();
  private settleTimer: NodeJS.Timeout | null = null;
  private lastChangeAt = 0;
  private destroyed = false;
  /** Bumped on every change the document emits: tells whether an apply integrated anything. */
  private changes = 0;
  private readonly fanoutLink: RoomFanoutLink;
  /** Blocks an accept merged away, for typing that reaches us after it (docs/decisions/0602). */
  private readonly merged: MergedBlocks | null;
  /** Takes the updates connections send (receiveUpdate). */
  private readonly intake: UpdateIntake;
  /** Server changes in flight (the registry's change()): the room is not unloaded under one. */
  readonly serverChanges = new CountedHold(() => {});
  /** Reads of the briefing's status in flight (hold()). */
  private readonly holds = new CountedHold(() => {
    for (const conn of Array.from(this.connections)) conn.followHolds();
  });

  /** Reads the stored document and builds the room; rejects when storage fails or holds something that is not Yjs. */
  static async load(
    briefingId: string,
    teamId: string,
    final: boolean,
    store: DocumentStore,
    options: RoomOptions,
    callbacks: RoomCallbacks,
    logger: Logger,
  ): Promise<Room> {
    const started = process.hrtime.bigint();
    // Before the read: whatever another process publishes after this point is delivered, so an
    // update published between the read and the subscription is not lost.
    const from = options.fanout.position ? await options.fanout.position(briefingId) : null;
    const stored = await store.load(briefingId);
    return new Room(briefingId, teamId, final, store, stored, started, from, options, callbacks, logger);
  }

  /** Applies a document read from storage (see Room.load); throws when it is not Yjs. */
  private constructor(
    readonly briefingId: string,
    public teamId: string,
    public final: boolean,
    private readonly store: DocumentStore,
    stored: StoredDocument,
    started: bigint,
    fanoutFrom: string | null,
    private readonly options: RoomOptions,
    private readonly callbacks: RoomCallbacks,
    private readonly logger: Logger,
  ) {
    this.doc = serverDoc(briefingId);
    this.merged = options.mergedBlocks && options.mergedBlocks.ttlMs > 0 ? new MergedBlocks(options.mergedBlocks, this.doc.getMap(MERGED_BLOCKS_MAP)) : null;
    this.awareness = new Awareness(this.doc);
    const room = {
      doc: this.doc,
      connections: this.connections,
      documentBytes: () => this.persistence.bytes,
      changes: () => this.changes,
      serverChange: <T>(userId: string, fn: (doc: Y.Doc) => T) => this.applyServerChange(userId, fn),
    };
    this.intake = new UpdateIntake(room, options, this.merged, logger);
    this.doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    // Storage written before the pending guard may hold structures that never integrated; they are
    // dropped here and the snapshot is rewritten without them below.
    const junk = takePending(this.doc);
    if (junk) logger.warn("collab", "stored state held changes with missing dependencies; dropped", { briefingId });
    // A document stored as one snapshot is its own full state: the first client to sync from
    // nothing (and the projection) get those bytes as read, instead of the document encoded again.
    if (!junk && stored.logLength === 0 && stored.updates.length === 1) this.fullState = stored.updates[0];
    this.parts.reset(junk ? null : stored.updates);
    options.metrics.roomLoaded(Number(process.hrtime.bigint() - started) / 1e9);
    this.persistence = new RoomPersistence(briefingId, store, options, logger, () => this.encodeFullState(), stored.logLength, stored.bytes);
    this.persistence.onGone = () => callbacks.gone(this);
    this.persistence.onStored = (batch) => options.fanout.stored?.(briefingId, batch.map((u) => u.update));
    // A long log (e.g. after a crash) is folded at once so the next load is one snapshot read.
    if (junk || stored.logLength >= options.compactAfter) void this.persistence.compact();
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => this.onDocUpdate(update, origin, tr));
    this.awareness.on("update", ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = added.concat(updated, removed);
      if (changed.length === 0) return;
      const update = encodeAwarenessUpdate(this.awareness, changed);
      this.broadcast(awarenessMessage(update));
      // Our clients' carets (and their removal when they leave) go to the other processes too.
      if (origin !== FROM_FANOUT) options.fanout.publishAwareness?.(briefingId, update);
    });
    this.fanoutLink = new RoomFanoutLink(this, store, options, logger, fanoutFrom);
    // Logged updates may not have been projected (a crash between store and projection); a
    // document that is only a snapshot was projected before it was compacted and unloaded. The
    // settle is debounced like a change's rather than run at once: a visit that edits (most do)
    // settles once for its load and its edits, not twice, and one that leaves first settles as the
    // room unloads (destroy), so a logged change is still projected within settleMs or at unload.
    if (stored.logLength > 0) this.scheduleSettled();
  }

  /** A read of the briefing's status is in flight: no socket of this room is read (hold()). */
  get held(): boolean {
    return this.holds.held;
  }

  /**
   * Stops reading every socket of the room, and of those that join, until the returned function is
   * called: while the registry re-reads the briefing's status, no edit is taken as if it were still
   * a draft when it may just have been finalized (docs/decisions/0122).
   */
  hold(): () => void {
    return this.holds.take();
  }

  addConnection(conn: Connection): void {
    this.connections.add(conn);
    conn.followHolds();
    conn.send(syncStep1Message(Y.encodeStateVector(this.doc)));
    const clients = Array.from(this.awareness.getStates().keys());
    if (clients.length > 0) conn.send(awarenessMessage(encodeAwarenessUpdate(this.awareness, clients)));
  }

  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    const ids = Array.from(conn.awarenessIds).filter((id) => this.awarenessOwners.get(id) === conn);
    for (const id of ids) this.awarenessOwners.delete(id);
    if (ids.length > 0 && !this.destroyed) removeAwarenessStates(this.awareness, ids, null);
    this.callbacks.left(conn);
    if (this.connections.size === 0) this.callbacks.empty(this);
  }

  replySyncStep1(conn: Connection, stateVector: Uint8Array): void {
    const update = isEmptyStateVector(stateVector) ? this.encodeFullState() : Y.encodeStateAsUpdate(this.doc, stateVector);
    conn.send(syncStep2Message(update));
  }

  receiveUpdate(conn: Connection, update: Uint8Array, kind: "sync" | "update"): void {
    this.intake.receive(conn, update, kind);
  }

  receiveAwareness(conn: Connection, update: Uint8Array): void {
    const entries = decodeAwarenessUpdate(update);
    const { accepted, rejected } = filterAwareness(
      entries,
      conn.awarenessIds,
      (id) => id === this.doc.clientID || (this.awarenessOwners.has(id) && this.awarenessOwners.get(id) !== conn),
      conn.identity.presence,
    );
    if (rejected > 0) this.options.metrics.rejected("awareness_not_owned", rejected);
    for (const id of conn.awarenessIds) this.awarenessOwners.set(id, conn);
    if (accepted.length > 0) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), conn);
  }

  receiveDecision(conn: Connection, request: DecisionRequest): void {
    if (!this.callbacks.decision) throw new Error("suggestion decisions are not handled here");
    this.callbacks.decision(this, conn, request);
  }

  sendAwarenessTo(conn: Connection): void {
    const clients = Array.from(this.awareness.getStates().keys());
    conn.send(awarenessMessage(encodeAwarenessUpdate(this.awareness, clients)));
  }

  /**
   * Runs `fn` in one transaction on the live document on behalf of `userId`: whatever it changes
   * is broadcast to every connection and stored once, exactly like a client's update.
   */
  applyServerChange<T>(userId: string, fn: (doc: Y.Doc) => T): T {
    if (this.destroyed) throw new Error("room is closed");
    let out: T | undefined;
    this.doc.transact((tr) => {
      out = fn(this.doc);
      // An accept across blocks leaves a record of its merge on the transaction (docs/decisions/0602).
      this.merged?.recordFrom(tr.meta);
    }, new ServerEdit(userId));
    return out as T;
  }

  closeAll(spec: CloseSpec): void {
    for (const conn of Array.from(this.connections)) conn.close(spec);
  }

  /** Fires a pending settled callback now (before unloading) and releases the document. */
  destroy(): void {
    if (this.destroyed) return;
    if (this.settleTimer) this.emitSettled();
    this.destroyed = true;
    this.fanoutLink.dispose();
    this.persistence.dispose();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** The integrated document only: `encodeStateAsUpdate` would include pending structures, so none may be left. */
  encodeFullState(): Uint8Array {
    if (takePending(this.doc)) this.logger.warn("collab", "pending structures found before encoding; dropped", { briefingId: this.briefingId });
    if (!this.fullState) {
      this.fullState = Y.encodeStateAsUpdate(this.doc);
      this.parts.reset([this.fullState]);
    }
    return this.fullState;
  }

  /**
   * The document as updates to apply in order (state-parts.ts): the cached full state, else the
   * last exact state and the changes since, encoding only when the room kept none.
   */
  stateParts(): Uint8Array[] {
    if (this.fullState) return [this.fullState];
    return this.parts.get() ?? [this.encodeFullState()];
  }

  private onDocUpdate(update: Uint8Array, origin: unknown, tr: Y.Transaction): void {
    this.fullState = null;
    this.parts.add(update);
    this.changes++;
    const author = this.isConnection(origin) ? origin : null;
    this.options.metrics.updateReceived();
    if (this.connections.size > (author ? 1 : 0)) {
      const message = updateMessage(update);
      const frame = binaryFrame(message);
      // A change the server made for someone (an accept, a restore) goes to everyone else first: each
      // write can wake a reader that takes the CPU, and the person who made it can wait that long.
      const own = origin instanceof ServerEdit ? origin.userId : null;
      for (const conn of this.connections) if (conn !== author && conn.userId !== own) conn.sendFrame(frame, message);
      if (own !== null) for (const conn of this.connections) if (conn.userId === own) conn.sendFrame(frame, message);
    }
    if (origin === FROM_FANOUT || origin === FROM_STORE) {
      // The process whose client sent it stores it (or storage already has it); here it only
      // counts towards the size cap.
      this.persistence.bytes += update.byteLength;
    } else {
      const userId = origin instanceof ServerEdit ? origin.userId : (author?.userId ?? null);
      this.persistence.enqueue(update, userId);
      this.callbacks.changed?.(this, userId, update, addedClients(tr));
      this.options.fanout.publish(this.briefingId, update).catch((err: unknown) => {
        this.options.metrics.fanoutFailed();
        this.logger.error("collab fan-out publish failed", err, { briefingId: this.briefingId });
      });
    }
    this.scheduleSettled();
  }

  /**
   * Debounces the settled callback to `settleMs` after the last change. One timer re-arms itself for
   * the time left, instead of a clear + new timer on every keystroke of every typist.
   */
  private scheduleSettled(): void {
    this.lastChangeAt = performance.now();
    if (this.settleTimer) return;
    const arm = (delay: number) => {
      this.settleTimer = setTimeout(() => {
        const left = this.lastChangeAt + this.options.settleMs - performance.now();
        if (left >= 1) arm(left);
        else this.emitSettled();
      }, delay);
    };
    arm(this.options.settleMs);
  }

  private emitSettled(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    if (this.destroyed) return;
    this.callbacks.settled(this);
  }

  private broadcast(message: Uint8Array): void {
    if (this.connections.size === 0) return;
    const frame = binaryFrame(message);
    for (const conn of this.connections) conn.sendFrame(frame, message);
  }

  private isConnection(origin: unknown): origin is Connection {
    return typeof origin === "object" && origin !== null && this.connections.has(origin as Connection);
  }
}

function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.byteLength === EMPTY_STATE_VECTOR.byteLength && sv[0] === EMPTY_STATE_VECTOR[0];
}

/**
 * The clients whose clock the transaction advanced: exactly the clients whose structs its update
 * carries. Read from the state vectors Yjs keeps per transaction, instead of decoding the update
 * once more (Y.parseUpdateMeta reads every struct and its content).
 */
export function addedClients(tr: Y.Transaction): number[] {
  const out: number[] = [];
  for (const [client, clock] of tr.afterState) if (clock > (tr.beforeState.get(client) ?? 0)) out.push(client);
  return out;
}
