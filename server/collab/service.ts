import * as Y from "yjs";
import { isValidId } from "../../db/ids";
import type { DocumentStore } from "../persistence/document-store";
import type { RoomRegistry } from "./rooms";
import { serverDoc } from "../yjs-doc";

/** What the collaboration layer offers Remix loaders (`context.services.collab`) and other layers. */
export interface CollabService {
  /** A detached copy of the briefing's current document: the live room's state if loaded, else from storage. */
  getDocument(briefingId: string): Promise<Y.Doc>;
  /**
   * The briefing's current state as one Yjs update, without building a document: the live room's
   * cached encoding if loaded, else merged from storage. For work that ships the state elsewhere
   * (the PDF render processes), so the event loop does not decode and re-encode it.
   */
  getState(briefingId: string): Promise<Uint8Array>;
  /**
   * The same state as updates to apply in order, neither merged nor encoded here, for work that
   * applies them in another thread (exports): a loaded room's cached state, or its last exact state
   * and the changes since (state-parts.ts); else the stored snapshot and log rows as read.
   */
  getStateParts(briefingId: string): Promise<Uint8Array[]>;
  /**
   * Stores the first body of a briefing just created (its template): through the document store,
   * like every other write of a document. Rejects when the briefing already has one.
   */
  createDocument(briefingId: string, state: Uint8Array): Promise<void>;
  /**
   * Rejects with StoredDocumentCorruptError (match it by `code`) when the briefing's stored document is
   * damaged, for pages that show a briefing without reading its body. A loaded room passed the
   * same check when it loaded. getDocument and getState reject with the same error.
   */
  verifyStored(briefingId: string): Promise<void>;
  /**
   * Called after a room's document settles (PROJECTION_DEBOUNCE_MS after the last change, or after
   * loading a document with logged updates, whichever is later: one call for both), and once before
   * it unloads if that was still pending. `doc` is the
   * live document: read it synchronously, never modify it; use getDocument to keep a copy.
   * `state()` is the room's cached full encoding (as getState, but valid while the room unloads
   * too), for listeners that ship the document to another thread. Returns an unsubscribe function.
   */
  onDocumentSettled(listener: (briefingId: string, doc: Y.Doc, state: () => Uint8Array) => void): () => void;
  /**
   * Called for every change a client of this process (or the server, for a person) made, with the
   * user it is credited to (null: nobody) and the Yjs update. Runs inside the change: keep it cheap.
   */
  /** `clients`: the Yjs clients whose structs the update added (none for a deletion alone). */
  onDocumentChanged(listener: (briefingId: string, userId: string | null, update: Uint8Array, clients: number[]) => void): () => void;
  /** Called as a room unloads, with its cached full state (as onDocumentSettled's `state`). */
  onRoomUnloading(listener: (briefingId: string, state: () => Uint8Array) => void): () => void;
  /**
   * Changes the live document on the server, for `userId` (an accepted suggestion, a restore): `fn` runs
   * synchronously in one Yjs transaction on the room's Y.Doc, so nothing else interleaves between
   * what it reads and what it writes; the change reaches every open connection and is stored once.
   * `fn` must check before it writes: a transaction is not rolled back when it throws.
   */
  change<T>(briefingId: string, userId: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Live numbers for dashboards and the benchmark. */
  stats(): CollabStats;
}

export interface CollabStats {
  /** Briefing documents loaded in memory. */
  rooms: number;
  /** Open WebSocket connections. */
  connections: number;
  /** Updates received but not yet stored. */
  pendingUpdates: number;
}

export function createCollabService(registry: RoomRegistry, store: DocumentStore): CollabService {
  return {
    async getDocument(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      const room = registry.get(briefingId);
      // Read before the document exists, so a failed read leaves nothing to free.
      const stored = room ? null : await store.load(briefingId);
      const doc = serverDoc(briefingId);
      // The room is looked up again: it may have loaded (or unloaded) while storage was read.
      const live = registry.get(briefingId);
      if (live) Y.applyUpdate(doc, live.encodeFullState());
      else if (stored) doc.transact(() => stored.updates.forEach((u) => Y.applyUpdate(doc, u)));
      return doc;
    },
    async getState(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      const room = registry.get(briefingId);
      if (room) return room.encodeFullState();
      const stored = await store.load(briefingId);
      const live = registry.get(briefingId);
      return live ? live.encodeFullState() : Y.mergeUpdates(stored.updates);
    },
    async getStateParts(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      const room = registry.get(briefingId);
      if (room) return room.stateParts();
      const stored = await store.load(briefingId);
      const live = registry.get(briefingId);
      return live ? live.stateParts() : stored.updates;
    },
    async createDocument(briefingId, state) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      await store.create(briefingId, state);
    },
    async verifyStored(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      if (!registry.get(briefingId)) await store.load(briefingId);
    },
    async change(briefingId, userId, fn) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      return registry.change(briefingId, userId, fn);
    },
    onDocumentSettled(listener) {
      return registry.onSettled((briefingId, room) => listener(briefingId, room.doc, () => room.encodeFullState()));
    },
    onDocumentChanged(listener) {
      return registry.onChanged(listener);
    },
    onRoomUnloading(listener) {
      return registry.onUnloading((briefingId, room) => listener(briefingId, () => room.encodeFullState()));
    },
    stats: () => registry.stats(),
  };
}
