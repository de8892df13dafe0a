import * as Y from "yjs";
import { isValidId } from "../../db/ids";
import type { DocumentStore } from "../persistence/document-store";
import type { RoomRegistry } from "./rooms";

/** What the collaboration layer offers Remix loaders (`context.services.collab`) and other layers. */
export interface CollabService {
  /** A detached copy of the briefing's current document: the live room's state if loaded, else from storage. */
  getDocument(briefingId: string): Y.Doc;
  /**
   * The briefing's current state as one Yjs update, without building a document: the live room's
   * cached encoding if loaded, else merged from storage. For work that ships the state elsewhere
   * (the PDF render processes), so the event loop does not decode and re-encode it.
   */
  getState(briefingId: string): Uint8Array;
  /**
   * Throws StoredDocumentCorruptError (match it by `code`) when the briefing's stored document is
   * damaged, for pages that show a briefing without reading its body. A loaded room passed the
   * same check when it loaded. getDocument and getState throw the same error.
   */
  verifyStored(briefingId: string): void;
  /**
   * Called after a room's document settles (PROJECTION_DEBOUNCE_MS after the last change), once
   * after a room loads, and once before it unloads if a change was still unsettled. `doc` is the
   * live document: read it synchronously, never modify it; use getDocument to keep a copy.
   * `state()` is the room's cached full encoding (as getState, but valid while the room unloads
   * too), for listeners that ship the document to another thread. Returns an unsubscribe function.
   */
  onDocumentSettled(listener: (briefingId: string, doc: Y.Doc, state: () => Uint8Array) => void): () => void;
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
    getDocument(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      const doc = new Y.Doc();
      const room = registry.get(briefingId);
      if (room) {
        Y.applyUpdate(doc, room.encodeFullState());
      } else {
        const stored = store.load(briefingId);
        doc.transact(() => stored.updates.forEach((u) => Y.applyUpdate(doc, u)));
      }
      return doc;
    },
    getState(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      const room = registry.get(briefingId);
      return room ? room.encodeFullState() : Y.mergeUpdates(store.load(briefingId).updates);
    },
    verifyStored(briefingId) {
      if (!isValidId(briefingId)) throw new Error("Malformed briefing id");
      if (!registry.get(briefingId)) store.load(briefingId);
    },
    onDocumentSettled(listener) {
      return registry.onSettled((briefingId, room) => listener(briefingId, room.doc, () => room.encodeFullState()));
    },
    stats: () => registry.stats(),
  };
}
