import type { Logger } from "../logger";
import type { Room } from "./room";

export type SettledListener = (briefingId: string, room: Room) => void;
export type ChangedListener = (briefingId: string, userId: string | null, update: Uint8Array, clients: number[]) => void;

/**
 * Who hears of the registry's rooms (the collab service's onDocumentSettled, onDocumentChanged
 * and onRoomUnloading): a document settled, a change made here, a room about to unload. A listener
 * that throws is logged and the others still run: one layer's failure must not cost another its
 * event, nor the room the change it is reporting.
 */
export class RoomListeners {
  private readonly settled = new Set<SettledListener>();
  private readonly changed = new Set<ChangedListener>();
  private readonly unloading = new Set<SettledListener>();

  constructor(private readonly logger: Logger) {}

  onSettled(listener: SettledListener): () => void {
    return add(this.settled, listener);
  }

  onChanged(listener: ChangedListener): () => void {
    return add(this.changed, listener);
  }

  onUnloading(listener: SettledListener): () => void {
    return add(this.unloading, listener);
  }

  emitSettled(room: Room): void {
    for (const listener of this.settled) {
      try {
        listener(room.briefingId, room);
      } catch (err) {
        this.logger.error("document settled listener failed", err, { briefingId: room.briefingId });
      }
    }
  }

  emitChanged(room: Room, userId: string | null, update: Uint8Array, clients: number[]): void {
    this.emit(this.changed, (l) => l(room.briefingId, userId, update, clients), room.briefingId);
  }

  emitUnloading(room: Room): void {
    this.emit(this.unloading, (l) => l(room.briefingId, room), room.briefingId);
  }

  private emit<L>(listeners: Set<L>, call: (listener: L) => void, briefingId: string): void {
    for (const listener of listeners) {
      try {
        call(listener);
      } catch (err) {
        this.logger.error("document listener failed", err, { briefingId });
      }
    }
  }
}

function add<L>(listeners: Set<L>, listener: L): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
