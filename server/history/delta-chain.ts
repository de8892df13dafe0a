import * as Y from "yjs";

/**
 * The rows that rebuild a version, without the delete sets a later row repeats
 * (docs/decisions/0207).
 *
 * Every stored delta (Y.diffUpdate against the previous version's state vector, ADR 0108) carries
 * the document's whole delete set at its moment, and deletions in Yjs only grow: the delete set of
 * a later row of the same chain contains that of every earlier one. Applying each row whole
 * therefore applies the same deletions once per row; on a brief with many scattered deletions that
 * was most of a cold rebuild. Here every row between `ends` keeps only its structs when the next
 * end row's delete set covers its own, so the rendered versions come out the same while the
 * deletions are applied once per end.
 *
 * A row whose delete set is not covered (a row written with only the deletions since the version
 * before it, or a chain that is not one document) or whose bytes do not end in the delete set as
 * Yjs writes it is kept whole: applying deletions twice is harmless, so keeping a row is never wrong.
 * The first row (the full state) is always kept: reading past its structs costs more than its
 * delete set.
 */
export function withoutRepeatedDeletes(rows: readonly Uint8Array[], ends: readonly number[]): Uint8Array[] {
  const out = rows.slice();
  const stops = [...new Set(ends)].filter((e) => e > 0 && e < rows.length).sort((a, b) => a - b);
  let from = 1;
  for (const end of stops) {
    const cover = deleteSetOf(rows[end]);
    for (let i = from; i < end; i++) {
      const ds = deleteSetOf(rows[i]);
      if (covers(cover, ds)) out[i] = structsOnly(rows[i], ds) ?? rows[i];
    }
    from = end + 1;
  }
  return out;
}

type Ranges = Map<number, { clock: number; len: number }[]>;

/** The row's delete set as Yjs reads it (a delta's structs are few, so decoding it is cheap). */
function deleteSetOf(row: Uint8Array): Ranges {
  return (Y.decodeUpdate(row).ds as unknown as { clients: Ranges }).clients;
}

/** Whether every deleted range of `inner` lies within one range of `outer` (both sorted by clock, as Yjs writes them). */
function covers(outer: Ranges, inner: Ranges): boolean {
  for (const [client, ranges] of inner) {
    const bigger = outer.get(client);
    if (!bigger) {
      if (ranges.length > 0) return false;
      continue;
    }
    let j = 0;
    let lastEnd = -1;
    for (const r of ranges) {
      if (r.clock < lastEnd) return false; // not sorted: do not guess
      lastEnd = r.clock + r.len;
      while (j < bigger.length && bigger[j].clock + bigger[j].len <= r.clock) j++;
      if (j === bigger.length || bigger[j].clock > r.clock || bigger[j].clock + bigger[j].len < lastEnd) return false;
    }
  }
  return true;
}

/**
 * The row with an empty delete set, or null when its last bytes are not `ds` in Yjs' v1 encoding
 * (clients in the order read, each with its ranges as clock and length, all as unsigned varints).
 */
function structsOnly(row: Uint8Array, ds: Ranges): Uint8Array | null {
  const tail: number[] = [];
  varUint(tail, ds.size);
  for (const [client, ranges] of ds) {
    varUint(tail, client);
    varUint(tail, ranges.length);
    for (const r of ranges) {
      varUint(tail, r.clock);
      varUint(tail, r.len);
    }
  }
  const start = row.length - tail.length;
  if (start < 1) return null;
  for (let k = 0; k < tail.length; k++) if (row[start + k] !== tail[k]) return null;
  const out = new Uint8Array(start + 1);
  out.set(row.subarray(0, start));
  out[start] = 0; // no clients in the delete set
  return out;
}

function varUint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}
