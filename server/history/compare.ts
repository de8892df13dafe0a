import { copierOf, movedBlocks, movedText, type Move } from "./moved-blocks";
import type { Rendered, RenderedBlock, RenderedText } from "./rendered";

import type { Segment } from "./segment";
import { commonEnds, lcsScript } from "./sequence-diff";

export type { Segment, SegmentOp } from "./segment";

/** A field of a structured block shown as text (a quote's translation, a topic's title, a fact's value). */
export interface ComparedPart {
  field: string;
  label: string;
  segments: Segment[];
}

export interface ComparedBlock {
  /** The ProseMirror node name (paragraph, heading, quote, agendaTopic, countryFact …). */
  type: string;
  level: number | null;
  change: "same" | "added" | "removed" | "changed" | "moved";
  /**
   * For a block moved by copying (Move up / Move down, drag and drop: a copy with the same
   * `blockId`, the original deleted; or cut and paste of a paragraph: a copy with the same text,
   * server/history/moved-blocks.ts): its position among the blocks of its type, 1-based (a
   * topic's number), in the older and the newer version. Its segments then diff the two texts.
   */
  move?: { from: number; to: number };
  /** Who moved it: the user whose client made the copy (not necessarily who wrote its text). */
  movedBy?: string | null;
  segments: Segment[];
  /** The content fields of a structured block, with their insertions and deletions. */
  parts: ComparedPart[];
}

/** A structured block whose fields differ between the two versions. */
export interface FieldChange {
  blockType: string;
  /** What the block is about (the speaker, the topic's title, the fact's label). */
  label: string;
  field: string;
  before: string;
  after: string;
}

export interface Comparison {
  blocks: ComparedBlock[];
  fields: FieldChange[];
}

/** Attributes that say which block it is, not what it says. */
const HIDDEN_FIELDS = new Set(["blockId", "ownerId", "libraryFactId", "level"]);

/** The fields a structured block's content is made of besides its body, in the order they are shown. */
export const CONTENT_FIELDS: Record<string, { field: string; label: string }[]> = {
  quote: [{ field: "translation", label: "Translation" }],
  agendaTopic: [{ field: "title", label: "Title" }],
  countryFact: [
    { field: "label", label: "Label" },
    { field: "value", label: "Value" },
    { field: "unit", label: "Unit" },
  ],
};

/** Longest field pair (characters × characters) diffed character by character; longer ones by common prefix and suffix. */
const MAX_FIELD_DIFF_CELLS = 4_000_000;

/**
 * Compares two rendered versions (docs/decisions/0110). Blocks and characters are matched by their
 * Yjs ids: a block or character in both is unchanged, one only in the newer was inserted (credited
 * through `clients`, Yjs client id → user id), one only in the older was deleted (credited to
 * `deleter`, the only author of the versions in between, else uncredited). Because Yjs never
 * reorders items, one pass over both sequences in order is an exact diff.
 */
export function compareRendered(older: Rendered, newer: Rendered, clients: Record<string, string>, deleter: string | null): Comparison {
  const author = (client: number) => clients[String(client)] ?? null;
  const blocks: ComparedBlock[] = [];
  const fields: FieldChange[] = [];
  const inNewer = new Set(newer.map((b) => b.key));
  const inOlder = new Set(older.map((b) => b.key));
  const moves = movedBlocks(older, newer, inOlder, inNewer);
  let i = 0;
  let j = 0;
  while (i < older.length || j < newer.length) {
    const a = older[i];
    const b = newer[j];
    if (a && b && a.key === b.key) {
      blocks.push(changedBlock(a, b, author, deleter, fields));
      i++;
      j++;
    } else if (a && moves.byOlderKey.has(a.key)) {
      // Shown once, where it is now.
      i++;
    } else if (b && moves.byNewerKey.has(b.key)) {
      const m = moves.byNewerKey.get(b.key)!;
      blocks.push(movedBlock(m.older, b, m.move, author, deleter, fields));
      j++;
    } else if (a && !inNewer.has(a.key)) {
      blocks.push(wholeBlock(a, "removed", () => deleter));
      i++;
    } else if (b && !inOlder.has(b.key)) {
      blocks.push(wholeBlock(b, "added", (client) => author(client)));
      j++;
    } else {
      // Not reachable with Yjs ids (order is kept); shown as removed rather than looping.
      blocks.push(wholeBlock(a, "removed", () => deleter));
      i++;
    }
  }
  return { blocks, fields };
}

/** `bodySegments`: the body already compared (a moved copy's, by characters), so no id walk is spent on it. */
function changedBlock(a: RenderedBlock, b: RenderedBlock, author: (c: number) => string | null, deleter: string | null, fields: FieldChange[], bodySegments?: Segment[]): ComparedBlock {
  const segments = bodySegments ?? (sameIds(a.body, b.body) ? [{ text: b.body.text, op: "same" as const, author: null }] : diffText(a.body, b.body, author, deleter));
  const label = labelOf(b);
  let fieldChanged = false;
  for (const field of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
    if (HIDDEN_FIELDS.has(field)) continue;
    const before = a.fields[field]?.value ?? "";
    const after = b.fields[field]?.value ?? "";
    if (before === after) continue;
    fields.push({ blockType: b.type, label, field, before, after });
    fieldChanged = true;
  }
  const parts = (CONTENT_FIELDS[b.type] ?? []).map(({ field, label: partLabel }) => {
    const before = a.fields[field]?.value ?? "";
    const after = b.fields[field]?.value ?? "";
    const who = b.fields[field] ? author(b.fields[field].client) : null;
    return { field, label: partLabel, segments: before === after ? plain(after) : diffStrings(before, after, who, deleter) };
  });
  const bodyChanged = segments.some((s) => s.op !== "same");
  return { type: b.type, level: b.level, change: fieldChanged || bodyChanged ? "changed" : "same", segments, parts };
}

/**
 * A moved block: its fields as for any block, its text diffed by characters (the copy has new
 * ids, so an id walk would show all of it deleted and inserted). Text others typed into the copy
 * after the move keeps its author; the rest of what is new is credited to the copier, who is also
 * `movedBy` (moved-blocks.ts movedText, docs/decisions/0119).
 */
function movedBlock(a: RenderedBlock, b: RenderedBlock, move: Move["move"], author: (c: number) => string | null, deleter: string | null, fields: FieldChange[]): ComparedBlock {
  const segments = movedText(a, b, author, deleter, diffStrings);
  const compared = changedBlock(a, b, author, deleter, fields, segments);
  // A copy at the same position (a block replaced by one with its blockId, or two versions that
  // are each a full state of their own, as migrated finals are) did not move: it changed or not.
  if (move.from === move.to) {
    const changed = compared.change === "changed" || segments.some((x) => x.op !== "same");
    return { ...compared, change: changed ? "changed" : "same", segments };
  }
  return { ...compared, change: "moved", move, movedBy: author(copierOf(b)), segments };
}

function wholeBlock(block: RenderedBlock, change: "added" | "removed", credit: (client: number) => string | null): ComparedBlock {
  const op = change === "added" ? "ins" : "del";
  const segments: Segment[] = [];
  const ids = block.body.ids;
  let at = 0;
  for (let k = 0; k < ids.length; k += 3) {
    append(segments, block.body.text.slice(at, at + ids[k + 2]), op, credit(ids[k]));
    at += ids[k + 2];
  }
  const parts = (CONTENT_FIELDS[block.type] ?? []).map(({ field, label }) => {
    const f = block.fields[field];
    return { field, label, segments: f?.value ? [{ text: f.value, op, author: credit(f.client) } as Segment] : [] };
  });
  return { type: block.type, level: block.level, change, segments, parts };
}

/** What a field-change row says the block is about. */
function labelOf(b: RenderedBlock): string {
  return b.fields.speaker?.value || b.fields.title?.value || b.fields.label?.value || b.type;
}

function sameIds(a: RenderedText, b: RenderedText): boolean {
  if (a.text !== b.text || a.ids.length !== b.ids.length) return false;
  for (let k = 0; k < a.ids.length; k++) if (a.ids[k] !== b.ids[k]) return false;
  return true;
}

/** The id ranges of a text per client, sorted by clock: starts and ends, for "is this id there" by bisection. */
function rangesOf(t: RenderedText): Map<number, { starts: number[]; ends: number[] }> {
  const byClient = new Map<number, [number, number][]>();
  for (let k = 0; k < t.ids.length; k += 3) {
    const list = byClient.get(t.ids[k]) ?? [];
    list.push([t.ids[k + 1], t.ids[k + 1] + t.ids[k + 2]]);
    byClient.set(t.ids[k], list);
  }
  const out = new Map<number, { starts: number[]; ends: number[] }>();
  for (const [client, list] of byClient) {
    list.sort((x, y) => x[0] - y[0]);
    out.set(client, { starts: list.map((r) => r[0]), ends: list.map((r) => r[1]) });
  }
  return out;
}

/**
 * How many ids from (client, clock) on, at most `max`, the other text lacks (0 when it has the
 * first): up to the start of its next range of that client.
 */
function absentRun(other: Map<number, { starts: number[]; ends: number[] }>, client: number, clock: number, max: number): number {
  const r = other.get(client);
  if (!r) return max;
  // The last range starting at or before clock.
  let lo = 0;
  let hi = r.starts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r.starts[mid] <= clock) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (at >= 0 && clock < r.ends[at]) return 0;
  const next = at + 1 < r.starts.length ? r.starts[at + 1] : Infinity;
  return Math.min(max, next - clock);
}

/**
 * The id walk of two texts, run by run rather than character by character (ADR 0110's pass; its
 * cost grows with the number of id runs, not of characters): where both are at the same id, the
 * common stretch is the shorter of the two runs' rests (inside a run ids are consecutive, and an
 * insertion or deletion between them ends the run); an id the newer lacks starts a deletion, one the
 * older lacks an insertion, each as long as the other version lacks the ids that follow.
 */
function diffText(a: RenderedText, b: RenderedText, author: (c: number) => string | null, deleter: string | null): Segment[] {
  const inA = rangesOf(a);
  const inB = rangesOf(b);
  const out: Segment[] = [];
  // Cursor in each text: run index (×3 into ids), offset in the run, and position in the text.
  let ri = 0;
  let oi = 0;
  let pi = 0;
  let rj = 0;
  let oj = 0;
  let pj = 0;
  const x = a.ids;
  const y = b.ids;
  const advanceA = (n: number) => {
    pi += n;
    oi += n;
    if (oi === x[ri + 2]) {
      ri += 3;
      oi = 0;
    }
  };
  const advanceB = (n: number) => {
    pj += n;
    oj += n;
    if (oj === y[rj + 2]) {
      rj += 3;
      oj = 0;
    }
  };
  while (ri < x.length || rj < y.length) {
    const hasA = ri < x.length;
    const hasB = rj < y.length;
    const [ca, ka, restA] = hasA ? [x[ri], x[ri + 1] + oi, x[ri + 2] - oi] : [0, 0, 0];
    const [cb, kb, restB] = hasB ? [y[rj], y[rj + 1] + oj, y[rj + 2] - oj] : [0, 0, 0];
    if (hasA && hasB && ca === cb && ka === kb) {
      const n = Math.min(restA, restB);
      append(out, b.text.slice(pj, pj + n), "same", null);
      advanceA(n);
      advanceB(n);
      continue;
    }
    const gone = hasA ? absentRun(inB, ca, ka, restA) : 0;
    if (gone > 0) {
      append(out, a.text.slice(pi, pi + gone), "del", deleter);
      advanceA(gone);
      continue;
    }
    const added = hasB ? absentRun(inA, cb, kb, restB) : 0;
    if (added > 0) {
      append(out, b.text.slice(pj, pj + added), "ins", author(cb));
      advanceB(added);
      continue;
    }
    // Both ids are in both texts but in another order: not possible with Yjs ids (order is kept);
    // shown as a deletion (or, past the older text's end, an insertion) rather than looping.
    if (hasA) {
      append(out, a.text.slice(pi, pi + 1), "del", deleter);
      advanceA(1);
    } else {
      append(out, b.text.slice(pj, pj + 1), "ins", author(cb));
      advanceB(1);
    }
  }
  return out;
}

function plain(text: string): Segment[] {
  return text ? [{ text, op: "same", author: null }] : [];
}

/**
 * A field is set whole (it has no per-character ids), so its two values are diffed by their
 * characters: common prefix and suffix, and the longest common subsequence of the middle.
 */
export function diffStrings(before: string, after: string, inserter: string | null, deleter: string | null, inserterAt?: (index: number) => string | null): Segment[] {
  const ins = (from: number, to: number) => {
    if (!inserterAt) return append(out, after.slice(from, to), "ins", inserter);
    for (let k = from; k < to; k++) append(out, after[k], "ins", inserterAt(k));
  };
  const ends = commonEnds(before, after);
  const { start, endA, endB } = ends;
  const out: Segment[] = [];
  append(out, before.slice(0, start), "same", null);
  if ((endA - start) * (endB - start) > MAX_FIELD_DIFF_CELLS) {
    append(out, before.slice(start, endA), "del", deleter);
    ins(start, endB);
  } else {
    lcsScript(before, after, ends, {
      same: (_i, j) => append(out, after[j], "same", null),
      del: (i) => append(out, before[i], "del", deleter),
      ins: (j) => ins(j, j + 1),
    });
  }
  append(out, after.slice(endB), "same", null);
  return out;
}

/** Adds text to the last run when it is of the same kind and author. */
function append(out: Segment[], text: string, op: Segment["op"], author: string | null) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op && last.author === author) last.text += text;
  else out.push({ text, op, author });
}
