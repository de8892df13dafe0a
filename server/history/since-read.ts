import * as Y from "yjs";
import type { VersionStore } from "./version-store";

/** What the banner needs from the live state, worked out in a history thread (docs/decisions/0116). */
export interface SinceReadInput {
  briefingId: string;
  /** The live document's state. */
  live: Uint8Array;
  /** Y.encodeStateVector of the document at the reader's mark. */
  read: Uint8Array;
  /** The document's delete set at the mark (markState), or null for a mark taken before it was kept. */
  readDeleteSet: Uint8Array | null;
  /** The latest version at the mark (0: none). */
  seq: number;
  /** Yjs client id → user id of the text typed since (the versions since and the pending changes). */
  clients: Record<string, string>;
  /** The versions since the mark, oldest first, with their one author (null: several or none). */
  versions: { seq: number; author: string | null }[];
  /** The one author of the changes not yet in a version (null: several or none). */
  pendingAuthor: string | null;
}

export interface SinceReadCounts {
  /** Whether the live state has anything the mark has not. */
  changed: boolean;
  /** Ranges of text (or blocks) deleted since the mark. */
  deletions: number;
  /**
   * Per user id ("" for text nobody is credited with): characters typed since the mark and still
   * there, and characters (one per Yjs item: a deleted block counts its own item too) that were
   * there at the mark and are deleted now.
   */
  byAuthor: Record<string, { inserted: number; deleted: number }>;
}

type Ranges = { clock: number; len: number }[];
type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"];

/** The state vector and the delete set (as an update with no structs) of a live state: what a mark keeps. */
export function markState(live: Uint8Array): { stateVector: Uint8Array; deleteSet: Uint8Array } {
  const stateVector = Y.encodeStateVectorFromUpdate(live);
  // A diff against its own state vector carries no structs, only the whole delete set.
  return { stateVector, deleteSet: Y.diffUpdate(live, stateVector) };
}

/**
 * Exactly what changed since a mark, by Yjs id: a character typed since has a clock at or past the
 * mark's state vector and is not deleted; a character deleted since was under that vector, is in
 * the live delete set and was not in the mark's. A deletion is credited to the author of the
 * first version since whose delete set has it (Yjs records no deleter; a version with one author
 * tells who), or of the pending changes, else to nobody.
 */
export async function sinceRead(store: Pick<VersionStore, "rows" | "state">, input: SinceReadInput): Promise<SinceReadCounts> {
  const read = Y.decodeStateVector(input.read);
  const { structs, ds } = Y.decodeUpdate(input.live);
  const live = sortedClients(ds);
  let changed = false;
  const byAuthor: SinceReadCounts["byAuthor"] = {};
  const entry = (user: string | null) => (byAuthor[user ?? ""] ??= { inserted: 0, deleted: 0 });

  for (const s of structs) {
    const limit = read.get(s.id.client) ?? 0;
    const end = s.id.clock + s.length;
    if (end > limit) changed = true;
    if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString) || end <= limit) continue;
    const from = Math.max(s.id.clock, limit);
    const kept = end - from - overlap(live.get(s.id.client), from, end);
    if (kept > 0) entry(input.clients[String(s.id.client)] ?? null).inserted += kept;
  }

  // What the mark had deleted: its own delete set, or (an older mark) the version it read.
  const markDs = input.readDeleteSet ? Y.decodeUpdate(input.readDeleteSet).ds : input.seq > 0 ? dsOf(await store.state(input.briefingId, input.seq)) : null;
  const marked = markDs ? sortedClients(markDs) : new Map<number, Ranges>();
  const versions = input.versions.length > 0 ? await versionDeleteSets(store, input) : [];

  let deletions = 0;
  for (const [client, ranges] of live) {
    const limit = read.get(client) ?? 0;
    let lastEnd = -1;
    for (const { clock, len } of ranges) {
      for (let c = clock; c < Math.min(clock + len, limit); c++) {
        if (overlap(marked.get(client), c, c + 1) > 0) continue;
        if (c !== lastEnd) deletions++;
        lastEnd = c + 1;
        const by = versions.find((v) => overlap(v.ds.get(client), c, c + 1) > 0);
        entry(by ? by.author : input.pendingAuthor).deleted++;
      }
    }
  }
  if (deletions > 0) changed = true;
  return { changed, deletions, byAuthor };
}

async function versionDeleteSets(store: Pick<VersionStore, "rows">, input: SinceReadInput) {
  const author = new Map(input.versions.map((v) => [v.seq, v.author]));
  const first = input.versions[0].seq;
  const last = input.versions[input.versions.length - 1].seq;
  // Every row, delta or full, carries the whole delete set of its moment.
  return (await store.rows(input.briefingId, first, last))
    .filter((r) => author.has(r.seq))
    .map((r) => ({ author: author.get(r.seq) ?? null, ds: sortedClients(Y.decodeUpdate(r.update).ds) }));
}

function dsOf(state: Uint8Array | null): DeleteSet | null {
  return state ? Y.decodeUpdate(state).ds : null;
}

/** A delete set's ranges per client, sorted and merged, for binary search. */
function sortedClients(ds: DeleteSet): Map<number, Ranges> {
  const out = new Map<number, Ranges>();
  for (const [client, items] of ds.clients) {
    const sorted = [...items].sort((a, b) => a.clock - b.clock);
    const merged: Ranges = [];
    for (const { clock, len } of sorted) {
      const prev = merged[merged.length - 1];
      if (prev && clock <= prev.clock + prev.len) prev.len = Math.max(prev.len, clock + len - prev.clock);
      else merged.push({ clock, len });
    }
    out.set(client, merged);
  }
  return out;
}

/** How many clocks of [from, to) the sorted ranges cover. */
function overlap(ranges: Ranges | undefined, from: number, to: number): number {
  if (!ranges || ranges.length === 0) return 0;
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].clock + ranges[mid].len <= from) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  for (let k = lo; k < ranges.length && ranges[k].clock < to; k++) n += Math.min(to, ranges[k].clock + ranges[k].len) - Math.max(from, ranges[k].clock);
  return n;
}
