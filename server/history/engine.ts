import zlib from "node:zlib";
import * as Y from "yjs";
import { compareRendered, type Comparison } from "./compare";
import { renderDoc, renderState, type Rendered } from "./rendered";
import { RenderedCache } from "./rendered-cache";
import type { VersionStore } from "./version-store";

/** What recording a version costs besides its row: the payload to store and the state vector. */
export interface EncodedVersion {
  stored: Uint8Array;
  stateVector: Uint8Array;
}

/**
 * The heavy half of the history (docs/decisions/0110): encoding a version, rebuilding one, and
 * comparing two. Runs in a history thread (worker.ts) with its own read connection, or on the main
 * thread for an in-memory database. Every version it encodes or rebuilds is rendered into the cache,
 * so comparing a version recorded or compared lately needs no rebuild at all.
 */
export function createHistoryEngine(store: Pick<VersionStore, "updates" | "fullSeq">, cacheBytes: number) {
  const cache = new RenderedCache(cacheBytes);

  /** Renders versions `older` and `newer` from one chain of rows when the cache has neither. */
  const rebuild = (briefingId: string, older: number, newer: number): [Rendered, Rendered] | null => {
    // A full row between them starts the newer afresh: cheaper, and a full row need not extend the
    // rows before it (a final copied from before the history was its own document).
    if (older !== newer && (store.fullSeq(briefingId, newer) ?? 0) > older) {
      const a = rebuild(briefingId, older, older);
      const b = rebuild(briefingId, newer, newer);
      return a && b ? [a[0], b[0]] : null;
    }
    const chain = store.updates(briefingId, newer, older);
    if (!chain) return null;
    const olderCount = chain.length - (newer - older);
    const doc = new Y.Doc();
    try {
      doc.transact(() => chain.slice(0, olderCount).forEach((u) => Y.applyUpdate(doc, u)));
      const a = renderDoc(doc);
      if (newer === older) return [a, a];
      doc.transact(() => chain.slice(olderCount).forEach((u) => Y.applyUpdate(doc, u)));
      return [a, renderDoc(doc)];
    } finally {
      doc.destroy();
    }
  };

  const rendered = (briefingId: string, seq: number): Rendered | null => {
    const hit = cache.get(briefingId, seq);
    if (hit) return hit;
    const built = rebuild(briefingId, seq, seq);
    if (!built) return null;
    cache.set(briefingId, seq, built[0]);
    return built[0];
  };

  return {
    cache,

    /** The stored payload of version `seq` (a delta against `prevVector`, or the full state), deflated. */
    encode(briefingId: string, seq: number, state: Uint8Array, prevVector: Uint8Array | null): EncodedVersion {
      const stateVector = Y.encodeStateVectorFromUpdate(state);
      const stored = zlib.deflateRawSync(prevVector ? Y.diffUpdate(state, prevVector) : state);
      // Rendered now, while the state is at hand: the next comparison with this version starts from it.
      cache.set(briefingId, seq, renderState(state));
      return { stored, stateVector };
    },

    /** Version `seq` was not stored under that number after all (another process took it). */
    forget(briefingId: string, seq: number): void {
      cache.forget(briefingId, seq);
    },

    /** The full state of version `seq` as one update, or null for an unknown version. */
    state(briefingId: string, seq: number): Uint8Array | null {
      const chain = store.updates(briefingId, seq, seq);
      return chain ? Y.mergeUpdates(chain) : null;
    },

    /** Compares `older` with `newer` (older ≤ newer); null when either is unknown. */
    compare(briefingId: string, older: number, newer: number, clients: Record<string, string>, deleter: string | null): Comparison | null {
      let a = cache.get(briefingId, older);
      let b = cache.get(briefingId, newer);
      if (!a && !b) {
        const built = rebuild(briefingId, older, newer);
        if (!built) return null;
        [a, b] = built;
        cache.set(briefingId, older, a);
        cache.set(briefingId, newer, b);
      }
      a ??= rendered(briefingId, older) ?? undefined;
      b ??= rendered(briefingId, newer) ?? undefined;
      if (!a || !b) return null;
      return compareRendered(a, b, clients, deleter);
    },
  };
}

export type HistoryEngine = ReturnType<typeof createHistoryEngine>;
