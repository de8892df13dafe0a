import * as Y from "yjs";

/**
 * What an accept across blocks (docs/decisions/0506) tells the live room about the blocks it
 * merged (docs/decisions/0602): the end block's remaining text was copied into the first block and
 * the end block deleted, so typing in the end block that reaches the server later lands in a
 * deleted block. The record names each copied character's old item and its copy, so the room can
 * move such late typing to the copy. It travels on the Yjs transaction's `meta`, which only the
 * live room reads; copies of the document (a new suggestion's check, exports) ignore it.
 */

/**
 * The document's top-level map in which the live room keeps these records (and where it moved late
 * text), so they are stored, reach every instance and outlive the room (server/collab/merged-blocks.ts).
 * The server writes it; clients carry it like any part of the document (a client that failed over
 * may be the one to bring a record back to a room that lacks it), and the editor ignores it.
 */
export const MERGED_BLOCKS_MAP = "summit-desk:merged-blocks";

/** Key of the records in `Transaction.meta`: a list, one per merge in the transaction. */
export const MERGED_BLOCKS_META = "summit-desk:merged-blocks";

export interface ItemId {
  client: number;
  clock: number;
}

/** `length` characters of the deleted block from `from` on, copied to `length` characters from `to` on. */
export interface CopiedRun {
  from: ItemId;
  to: ItemId;
  length: number;
}

export interface BlockMerge {
  runs: CopiedRun[];
  /**
   * The last character before the remaining text (deleted with the range), or null when the
   * remaining text starts its block: typing right after it belongs at the start of the copy.
   */
  edge: ItemId | null;
  /** The deleted end block's text type: typing into it while it was empty names it as parent. */
  block: ItemId | null;
  /** The start of the copy (or where it would be, when nothing remained), as a relative position. */
  start: Y.RelativePosition;
}

/** The character items of `text` from `index` on, as runs of consecutive ids (deleted and format items skipped). */
export function charRuns(text: Y.XmlText, index: number): { id: ItemId; length: number }[] {
  const out: { id: ItemId; length: number }[] = [];
  let at = 0;
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const skip = Math.max(0, index - at);
    at += item.length;
    if (skip >= item.length) continue;
    out.push({ id: { client: item.id.client, clock: item.id.clock + skip }, length: item.length - skip });
  }
  return out;
}

/** The id of the character just before `index` in `text` (null at its start). */
export function charBefore(text: Y.XmlText, index: number): ItemId | null {
  if (index <= 0) return null;
  const runs = charRuns(text, index - 1);
  return runs.length ? runs[0].id : null;
}

/** Pairs two equally long lists of runs character by character. */
export function pairRuns(old: { id: ItemId; length: number }[], copy: { id: ItemId; length: number }[]): CopiedRun[] {
  const out: CopiedRun[] = [];
  let i = 0;
  let j = 0;
  let di = 0;
  let dj = 0;
  while (i < old.length && j < copy.length) {
    const length = Math.min(old[i].length - di, copy[j].length - dj);
    out.push({
      from: { client: old[i].id.client, clock: old[i].id.clock + di },
      to: { client: copy[j].id.client, clock: copy[j].id.clock + dj },
      length,
    });
    di += length;
    dj += length;
    if (di === old[i].length) {
      i++;
      di = 0;
    }
    if (dj === copy[j].length) {
      j++;
      dj = 0;
    }
  }
  return out;
}

/** Adds a merge's record to the transaction it is made in (a no-op outside one). */
export function recordMerge(doc: Y.Doc, merge: BlockMerge): void {
  const tr = doc._transaction;
  if (!tr) return;
  const list = (tr.meta.get(MERGED_BLOCKS_META) as BlockMerge[] | undefined) ?? [];
  list.push(merge);
  tr.meta.set(MERGED_BLOCKS_META, list);
}
