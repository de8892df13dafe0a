/**
 * How a room's document updates reach the same briefing's rooms in other server processes
 * (docs/decisions/0107). Asynchronous because a real one is a network bus (Redis streams,
 * server/redis/stream-fanout.ts, docs/decisions/0109); one process needs none. An adapter must
 * deliver a briefing's updates in the order they were published and never back to the process that
 * published them, and say when it may have missed some (`onGap`).
 */

/** What a room hears from the fan-out besides document updates (server/redis/stream-fanout.ts). */
export interface FanoutListeners {
  /**
   * Updates may have been missed (the bus trimmed them, restarted or was unreachable): the room
   * reloads its stored state and applies it, which is safe because a Yjs merge is idempotent.
   */
  onGap?(): void;
  /** An awareness update (carets, presence) a room of another process applied. */
  onAwareness?(update: Uint8Array): void;
  /**
   * Updates another process published and never confirmed it stored (it died between receiving and
   * storing them): the room stores them itself. A second copy of an update is harmless in Yjs.
   */
  onUnconfirmed?(updates: Uint8Array[]): void;
}

export interface RoomFanout {
  /** Hands a room's update to the other processes; resolves once the bus took it. */
  publish(briefingId: string, update: Uint8Array): Promise<void>;
  /**
   * Where the briefing's feed stands now. A room asks before it reads storage and subscribes from
   * there, so an update published between its read and its subscription is still delivered. Null
   * when the bus cannot say (unreachable): the adapter then reports a gap once it can.
   */
  position?(briefingId: string): Promise<string | null>;
  /**
   * Calls `onUpdate` with each update another process published for the briefing, while its room is
   * loaded here, starting after `from` (a `position`) when given. Returns the unsubscribe function
   * (called when the room unloads).
   */
  subscribe(briefingId: string, onUpdate: (update: Uint8Array) => void, listeners?: FanoutListeners, from?: string | null): () => void;
  /** Tells the other processes that these updates (published here) are now in storage. */
  stored?(briefingId: string, updates: readonly Uint8Array[]): void;
  /** Hands an awareness update of this process's clients to the other processes (best effort: awareness is refreshed). */
  publishAwareness?(briefingId: string, update: Uint8Array): void;
}

/** The single-process fan-out: there is nobody else to tell. */
export const noFanout: RoomFanout = {
  publish: () => Promise.resolve(),
  subscribe: () => () => {},
};

/**
 * An in-memory bus between several registries in one process, each `member()` standing for one
 * server process: what one member publishes reaches the others' subscribers, in order, on a later
 * microtask (as a network bus would, never inside publish). For tests and single-host set-ups.
 */
export function createLocalFanoutHub(): { member(): RoomFanout } {
  const subscribers = new Map<string, Set<{ member: object; onUpdate: (update: Uint8Array) => void }>>();
  return {
    member() {
      const self = {};
      return {
        async publish(briefingId, update) {
          const copy = update.slice(); // the receiver owns its bytes, as after a network hop
          await Promise.resolve();
          for (const sub of Array.from(subscribers.get(briefingId) ?? [])) if (sub.member !== self) sub.onUpdate(copy);
        },
        subscribe(briefingId, onUpdate) {
          const entry = { member: self, onUpdate };
          const set = subscribers.get(briefingId) ?? new Set();
          set.add(entry);
          subscribers.set(briefingId, set);
          return () => {
            set.delete(entry);
            if (set.size === 0 && subscribers.get(briefingId) === set) subscribers.delete(briefingId);
          };
        },
      };
    },
  };
}
