import * as Y from "yjs";

/**
 * How many runs of text (or blocks) were deleted since a person last read a briefing: deleted
 * ranges of the live document that existed when they read it (their clock is under the read
 * state vector) and that were not yet deleted in the version they had read (`atRead`, the latest
 * version at that moment; null when there was none). Neighbouring deleted ranges of one client
 * count once. A deletion made after that version but before the read counts too: the read keeps
 * no delete set of its own (ADR 0112).
 */
export function deletionsSince(current: Uint8Array, readStateVector: Uint8Array, atRead: Uint8Array | null): number {
  const read = Y.decodeStateVector(readStateVector);
  const before = atRead ? Y.decodeUpdate(atRead).ds : null;
  let runs = 0;
  for (const [client, ranges] of Y.decodeUpdate(current).ds.clients) {
    const limit = read.get(client) ?? 0;
    let lastEnd = -1;
    for (const { clock, len } of [...ranges].sort((x, y) => x.clock - y.clock)) {
      for (let c = clock; c < Math.min(clock + len, limit); c++) {
        if (before && Y.isDeleted(before, new Y.ID(client, c))) continue;
        if (c !== lastEnd) runs++;
        lastEnd = c + 1;
      }
    }
  }
  return runs;
}
