import zlib from "node:zlib";
import * as Y from "yjs";
import type { Authors } from "./compare-html";
import { COLLAB_FIELD } from "../../extensions/collab-field";
import type { ExportInfo } from "../export/model";
import { compareRendered, type Comparison } from "./compare";
import { withoutRepeatedDeletes } from "./delta-chain";
import { comparisonPayload, type CompareFormat, type Payload } from "./payload";
import { renderDoc, renderState, type Rendered } from "./rendered";
import { RenderedCache } from "./rendered-cache";
import { replaceBlocks } from "./restore";
import { markState, sinceRead, type SinceReadCounts, type SinceReadInput } from "./since-read";
import type { VersionStore } from "./version-store";
import { serverDoc } from "../yjs-doc";

/** What recording a version costs besides its row: the payload to store and the state vector. */
export interface EncodedVersion {
  stored: Uint8Array;
  stateVector: Uint8Array;
}

/** What restoring a version costs the live room: one update, and what it changes. */
export interface RestoreUpdate {
  update: Uint8Array;
  deleted: number;
  inserted: number;
}

/**
 * The heavy half of the history (docs/decisions/0110): encoding a version, rebuilding one, and
 * comparing two. Runs in a history thread (worker.ts) with its own read connection (SQLite) or pool of
 * two (PostgreSQL), or on the main
 * thread for an in-memory database. Every version it encodes or rebuilds is rendered into the cache,
 * so comparing a version recorded or compared lately needs no rebuild at all.
 */
export function createHistoryEngine(store: Pick<VersionStore, "updates" | "fullSeq" | "rows">, cacheBytes: number) {
  const cache = new RenderedCache(cacheBytes);

  /** Renders versions `older` and `newer` from one chain of rows when the cache has neither. */
  const rebuild = async (briefingId: string, older: number, newer: number): Promise<[Rendered, Rendered] | null> => {
    // A full row between them starts the newer afresh: cheaper, and a full row need not extend the
    // rows before it (a final copied from before the history was its own document).
    if (older !== newer && ((await store.fullSeq(briefingId, newer)) ?? 0) > older) {
      const a = await rebuild(briefingId, older, older);
      const b = await rebuild(briefingId, newer, newer);
      return a && b ? [a[0], b[0]] : null;
    }
    const chain = await store.updates(briefingId, newer, older);
    if (!chain) return null;
    const olderCount = chain.length - (newer - older);
    // Each version's deletions once, from its own last row, not once per row (delta-chain.ts).
    const rows = withoutRepeatedDeletes(chain, [olderCount - 1, chain.length - 1]);
    const doc = serverDoc(briefingId);
    try {
      doc.transact(() => rows.slice(0, olderCount).forEach((u) => Y.applyUpdate(doc, u)));
      const a = renderDoc(doc);
      if (newer === older) return [a, a];
      doc.transact(() => rows.slice(olderCount).forEach((u) => Y.applyUpdate(doc, u)));
      return [a, renderDoc(doc)];
    } finally {
      doc.destroy();
    }
  };

  const rendered = async (briefingId: string, seq: number): Promise<Rendered | null> => {
    const hit = cache.get(briefingId, seq);
    if (hit) return hit;
    const built = await rebuild(briefingId, seq, seq);
    if (!built) return null;
    cache.set(briefingId, seq, built[0]);
    return built[0];
  };

  /** Versions `older` and `newer` rendered, from the cache or, when it has neither, from one chain of rows. */
  const pair = async (briefingId: string, older: number, newer: number): Promise<[Rendered, Rendered] | null> => {
    let a = cache.get(briefingId, older);
    let b = cache.get(briefingId, newer);
    if (!a && !b) {
      const built = await rebuild(briefingId, older, newer);
      if (!built) return null;
      [a, b] = built;
      cache.set(briefingId, older, a);
      cache.set(briefingId, newer, b);
    }
    a ??= (await rendered(briefingId, older)) ?? undefined;
    b ??= (await rendered(briefingId, newer)) ?? undefined;
    return a && b ? [a, b] : null;
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

    /**
     * Renders version `seq` and the one before it into the cache unless they are there: the History
     * page asks for the newest before anyone compares (ADR 0110, 2026-12-03), so the first comparison
     * with it starts from its rendering, the comparison of the last change (the newest two, one chain
     * of rows for both) needs no rebuild at all, and the thread's first rebuild (its slowest: Yjs'
     * update decoding not yet compiled) is done while the page is read. With `older`, versions
     * `older` and `seq` instead: the Compare page asks for the two it shows, so a compare opened
     * from a link is rebuilt while the page loads, before the page asks for the comparison.
     */
    async prepare(briefingId: string, seq: number, older = seq - 1): Promise<void> {
      await (older >= 1 && older < seq ? pair(briefingId, older, seq) : rendered(briefingId, seq));
    },

    /** Version `seq` was not stored under that number after all (another process took it). */
    forget(briefingId: string, seq: number): void {
      cache.forget(briefingId, seq);
    },

    /** The full state of version `seq` as one update, or null for an unknown version. */
    async state(briefingId: string, seq: number): Promise<Uint8Array | null> {
      const chain = await store.updates(briefingId, seq, seq);
      return chain ? Y.mergeUpdates(chain) : null;
    },

    /** Compares `older` with `newer` (older ≤ newer); null when either is unknown. */
    async compare(briefingId: string, older: number, newer: number, clients: Record<string, string>, deleter: string | null): Promise<Comparison | null> {
      const both = await pair(briefingId, older, newer);
      return both ? compareRendered(both[0], both[1], clients, deleter) : null;
    },

    /** What a reader's mark keeps of the live state (since-read.ts). */
    mark(live: Uint8Array): { stateVector: Uint8Array; deleteSet: Uint8Array } {
      return markState(live);
    },

    /** What changed since a reader's mark, exactly, by Yjs id (since-read.ts). */
    sinceRead(input: SinceReadInput): Promise<SinceReadCounts> {
      return sinceRead({ rows: store.rows, state: (briefingId, seq) => this.state(briefingId, seq) }, input);
    },

    /** A comparison as the bytes the route sends (docs/decisions/0116); null when a version is unknown. */
    async comparePayload(briefingId: string, older: number, newer: number, clients: Record<string, string>, deleter: string | null, format: CompareFormat, authors: Authors): Promise<Payload | null> {
      const comparison = await this.compare(briefingId, older, newer, clients, deleter);
      return comparison ? comparisonPayload(comparison, format, authors, older, newer) : null;
    },

    /** Version `seq` as the version page shows it (the export model's blocks as HTML); null when unknown. */
    async view(briefingId: string, seq: number, info: ExportInfo): Promise<Payload | null> {
      const state = await this.state(briefingId, seq);
      if (!state) return null;
      // Loaded on the first view, not with the thread (view.ts).
      const { versionView } = await import("./view");
      return versionView(state, info);
    },

    /**
     * The one update that turns `live` (the room's state) into version `seq`'s content, block by
     * block (restore.ts): built here on a copy, so the room only applies it. Null for an unknown version.
     */
    async restore(briefingId: string, seq: number, live: Uint8Array): Promise<RestoreUpdate | null> {
      const old = await this.state(briefingId, seq);
      if (!old) return null;
      const source = serverDoc(briefingId);
      const target = serverDoc(briefingId);
      try {
        Y.applyUpdate(source, old);
        Y.applyUpdate(target, live);
        let update: Uint8Array = new Uint8Array(0);
        // Exactly what the transaction adds (its structs and deletions), not the whole delete set.
        target.once("update", (u: Uint8Array) => (update = u));
        const counts = target.transact(() => replaceBlocks(target.getXmlFragment(COLLAB_FIELD), source.getXmlFragment(COLLAB_FIELD)));
        return { update, ...counts };
      } finally {
        source.destroy();
        target.destroy();
      }
    },
  };
}

export type HistoryEngine = ReturnType<typeof createHistoryEngine>;
