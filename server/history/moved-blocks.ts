import type { Segment } from "./segment";
import { commonEnds } from "./sequence-diff";
import type { Rendered, RenderedBlock } from "./rendered";

/**
 * Which removed and added blocks of a comparison are one block moved (docs/decisions/0116, 0119).
 * A move in the editor is a delete and an insert: the copy has new Yjs ids, so the id walk of
 * compare.ts sees the old block removed and the new one added. Two kinds are paired:
 * - a block with a `blockId` (quote, topic, fact): the removed and the added one with the same type
 *   and blockId (a topic's Move up / Move down copies it);
 * - a block without one (paragraph, heading, list, blockquote: cut and paste, drag and drop): a
 *   removed and an added block of the same type whose texts are equal once whitespace is trimmed and
 *   collapsed, or nearly equal: their longest common subsequence keeps at least SIMILAR_SHARE of the
 *   longer text's characters. Exact pairs are found through a map (linear); a near pair is only
 *   tried between blocks that share their rarest words (an index of the removed blocks' words), for at most
 *   MAX_CANDIDATES removed blocks per added one, MAX_SIMILAR_PAIRS pairs and MAX_SIMILAR_STEPS steps
 *   of the diff per comparison, so a brief with thousands of removed and added paragraphs stays
 *   fast; past the bound a near copy shows as removed and added, as it did before.
 * Pairs are made in document order (the first added block takes the first removed one that fits),
 * each block at most once. An empty block is never paired: it says nothing about where text went.
 */

/** Share of the longer text a near copy keeps, character for character. */
export const SIMILAR_SHARE = 0.85;
/** Removed × added pairs whose texts are diffed for a near match, per comparison. */
export const MAX_SIMILAR_PAIRS = 2_000;
/** Steps of those diffs (Myers' algorithm, bounded by the edits the share allows), per comparison. */
export const MAX_SIMILAR_STEPS = 5_000_000;
/** Removed blocks diffed against one added block, at most: the ones sharing most of its words. */
export const MAX_CANDIDATES = 8;
/** Share of an added block's rarest words a removed block must have to be diffed against it. */
export const SHARED_WORDS = 0.5;
/** How many of an added block's words (the rarest among the removed blocks) choose its candidates. */
export const RAREST_WORDS = 6;
/** Entries of the word index read for one added block, at most. */
export const MAX_WORDS_READ = 4_096;

export interface Move {
  older: RenderedBlock;
  /** Positions among the blocks of the type, 1-based (a topic's number), in the older and the newer version. */
  move: { from: number; to: number };
}

export interface MovedBlocks {
  /** A removed block that moved → its copy in the newer version. */
  byOlderKey: Map<string, RenderedBlock>;
  /** An added block that is a moved copy → the block it was and where from. */
  byNewerKey: Map<string, Move>;
  /** Pairs diffed for a near match (bounded by MAX_SIMILAR_PAIRS). */
  similarPairs: number;
}

interface Removed {
  block: RenderedBlock;
  position: number;
  text: string;
  taken: boolean;
}

/** The text two blocks are compared by: whitespace trimmed and collapsed (a paste may add or drop a space). */
export function comparableText(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/**
 * The Yjs client that wrote most of a block's characters: for a moved copy, the client that
 * pasted it (every character of a paste is a new item of the paster's), whoever typed into it
 * afterwards. A block with no text: the client that made its element.
 */
export function copierOf(b: RenderedBlock): number {
  const counts = new Map<number, number>();
  let best = Number(b.key.slice(0, b.key.indexOf(":")));
  let most = 0;
  for (let k = 0; k < b.body.ids.length; k += 3) {
    const n = (counts.get(b.body.ids[k]) ?? 0) + b.body.ids[k + 2];
    counts.set(b.body.ids[k], n);
    if (n > most) [best, most] = [b.body.ids[k], n];
  }
  return best;
}

/** Each character's Yjs client, in order. */
function clientsOf(b: RenderedBlock): Float64Array {
  // Client ids are unsigned 32-bit: an Int32Array would turn half of them negative.
  const out = new Float64Array(b.body.text.length);
  let at = 0;
  for (let k = 0; k < b.body.ids.length; k += 3) {
    out.fill(b.body.ids[k], at, at + b.body.ids[k + 2]);
    at += b.body.ids[k + 2];
  }
  return out;
}

/** The characters of a copy its copier wrote: what the move carried, without what others typed into it since. */
function copiedText(b: RenderedBlock, copier: number, clients?: Float64Array): string {
  if (!clients) {
    // Mostly one client wrote all of it: no per-character pass.
    let one = true;
    for (let k = 0; k < b.body.ids.length && one; k += 3) one = b.body.ids[k] === copier;
    if (one) return b.body.text;
    clients = clientsOf(b);
  }
  let out = "";
  for (let j = 0; j < clients.length; j++) if (clients[j] === copier) out += b.body.text[j];
  return out;
}

type Diff = (before: string, after: string, inserter: string | null, deleter: string | null) => Segment[];

/**
 * A moved block's text against its old text. The characters others typed into the copy since the
 * move cannot be part of what was moved: they are insertions credited to their own authors, never
 * lined up with the old text by the character diff (which could otherwise credit one of them to
 * the copier, or a space of the copy to them). The rest, the copier's, is diffed against the old
 * text by characters (`diff`: compare.ts's diffStrings), its insertions credited to the copier.
 */
export function movedText(a: RenderedBlock, b: RenderedBlock, author: (client: number) => string | null, deleter: string | null, diff: Diff): Segment[] {
  const copier = copierOf(b);
  const clients = clientsOf(b);
  const copied = copiedText(b, copier, clients);
  const out: Segment[] = [];
  let j = 0;
  const others = () => {
    for (; j < clients.length && clients[j] !== copier; j++) append(out, b.body.text[j], "ins", author(clients[j]));
  };
  for (const seg of diff(a.body.text, copied, author(copier), deleter)) {
    if (seg.op === "del") {
      append(out, seg.text, "del", seg.author);
      continue;
    }
    for (let k = 0; k < seg.text.length; k++) {
      others();
      append(out, b.body.text[j], seg.op, seg.author);
      j++;
    }
  }
  others();
  return out;
}

function append(out: Segment[], text: string, op: Segment["op"], author: string | null) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op && last.author === author) last.text += text;
  else out.push({ text, op, author });
}

export function movedBlocks(older: Rendered, newer: Rendered, inOlder: Set<string>, inNewer: Set<string>): MovedBlocks {
  const byOlderKey = new Map<string, RenderedBlock>();
  const byNewerKey = new Map<string, Move>();
  const byBlockId = new Map<string, Removed>();
  const byText = new Map<string, Removed[]>();
  const byType = new Map<string, Removed[]>();
  const positions = typePositions();
  for (const a of older) {
    const position = positions(a);
    if (inNewer.has(a.key)) continue;
    const removed: Removed = { block: a, position, text: a.blockId ? "" : comparableText(a.body.text), taken: false };
    if (a.blockId) byBlockId.set(`${a.type}\0${a.blockId}`, removed);
    else if (removed.text) {
      listIn(byText, `${a.type}\0${removed.text}`).push(removed);
      listIn(byType, a.type).push(removed);
    }
  }
  const pair = (removed: Removed, b: RenderedBlock, to: number) => {
    removed.taken = true;
    byOlderKey.set(removed.block.key, b);
    byNewerKey.set(b.key, { older: removed.block, move: { from: removed.position, to } });
  };

  // Exact first, over the whole document: a near match must not take a block another one copies exactly.
  const near: { block: RenderedBlock; position: number; text: string }[] = [];
  const newerPositions = typePositions();
  for (const b of newer) {
    const position = newerPositions(b);
    if (inOlder.has(b.key)) continue;
    if (b.blockId) {
      const match = byBlockId.get(`${b.type}\0${b.blockId}`);
      if (match && !match.taken) pair(match, b, position);
      continue;
    }
    // What the move carried: text others typed into the copy since does not count against it.
    const text = comparableText(copiedText(b, copierOf(b)));
    if (!text) continue;
    const match = byText.get(`${b.type}\0${text}`)?.find((r) => !r.taken);
    if (match) pair(match, b, position);
    else near.push({ block: b, position, text });
  }

  const budget = { pairs: MAX_SIMILAR_PAIRS, steps: MAX_SIMILAR_STEPS };
  const candidates = near.length > 0 && byType.size > 0 ? candidateIndex(byType) : null;
  for (const b of near) {
    if (!candidates || budget.pairs <= 0 || budget.steps <= 0) break;
    for (const removed of candidates(b.block.type, b.text)) {
      if (budget.pairs <= 0 || budget.steps <= 0) break;
      budget.pairs--;
      if (nearlyEqual(removed.text, b.text, budget)) {
        pair(removed, b.block, b.position);
        break;
      }
    }
  }
  return { byOlderKey, byNewerKey, similarPairs: MAX_SIMILAR_PAIRS - budget.pairs };
}

/**
 * The removed blocks worth diffing against an added one: those of its type, of a length that can
 * match, that have at least SHARED_WORDS of its rarest words. A near copy keeps most words whole,
 * so the words are an index of where to look: the RAREST_WORDS of the added block's words that
 * some removed block has (fewest removed blocks first: "the" says nothing about which block it
 * was, a name or a figure does), their lists read up to MAX_WORDS_READ entries in all; and a
 * candidate must have SHARED_WORDS of all the added block's distinct words (a set lookup each,
 * far cheaper than a diff that fails). Best first (most of the rarest words, then document order),
 * at most MAX_CANDIDATES.
 */
function candidateIndex(byType: Map<string, Removed[]>) {
  const byWord = new Map<string, Removed[]>();
  const wordsOfRemoved = new Map<Removed, Set<string>>();
  for (const list of byType.values()) {
    for (const r of list) {
      const words = wordsOf(r.text);
      wordsOfRemoved.set(r, words);
      for (const w of words) listIn(byWord, w).push(r);
    }
  }
  const order = new Map<Removed, number>();
  for (const list of byType.values()) list.forEach((r, k) => order.set(r, k));
  return (type: string, text: string): Removed[] => {
    const words = wordsOf(text);
    const lists: Removed[][] = [];
    for (const w of words) {
      const list = byWord.get(w);
      if (list) lists.push(list);
    }
    lists.sort((x, y) => x.length - y.length);
    const hits = new Map<Removed, number>();
    let telling = 0;
    let read = 0;
    for (const list of lists.slice(0, RAREST_WORDS)) {
      if (read + list.length > MAX_WORDS_READ) break;
      read += list.length;
      telling++;
      for (const r of list) if (!r.taken && r.block.type === type) hits.set(r, (hits.get(r) ?? 0) + 1);
    }
    return [...hits]
      .filter(([r, n]) => n >= SHARED_WORDS * telling && lengthsAllow(r.text, text) && shareOf(words, wordsOfRemoved.get(r)!) >= SHARED_WORDS)
      .sort(([r, x], [q, y]) => y - x || order.get(r)! - order.get(q)!)
      .slice(0, MAX_CANDIDATES)
      .map(([r]) => r);
  };
}

/** The share of `words` that `other` has too. */
function shareOf(words: Set<string>, other: Set<string>): number {
  let n = 0;
  for (const w of words) if (other.has(w)) n++;
  return words.size ? n / words.size : 0;
}

/** A text's distinct words of three letters or more, in lower case. */
function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
}

/** Counts blocks by type as they come: each call returns the block's 1-based position among its type. */
function typePositions() {
  const seen = new Map<string, number>();
  return (b: RenderedBlock) => {
    const n = (seen.get(b.type) ?? 0) + 1;
    seen.set(b.type, n);
    return n;
  };
}

function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** A common subsequence is never longer than the shorter text: lengths too far apart cannot match. */
function lengthsAllow(a: string, b: string): boolean {
  return Math.min(a.length, b.length) >= SIMILAR_SHARE * Math.max(a.length, b.length);
}

/**
 * Whether `a` and `b` have a common subsequence of at least SIMILAR_SHARE of the longer one's
 * characters. That is an edit script (insertions + deletions) of at most `n + m - 2·need`
 * characters, which Myers' O((n + m)·D) algorithm finds or rules out without going past that D.
 * Every step is taken from `budget.steps`; when it runs out the pair counts as different.
 */
export function nearlyEqual(a: string, b: string, budget: { steps: number }): boolean {
  const need = Math.ceil(SIMILAR_SHARE * Math.max(a.length, b.length));
  const maxD = a.length + b.length - 2 * need;
  if (maxD < 0) return false;
  const { start, endA, endB } = commonEnds(a, b);
  const n = endA - start;
  const m = endB - start;
  if (n + m <= maxD) return true;
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  for (let d = 0; d <= maxD; d++) {
    budget.steps -= d + 1;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      const from = x;
      while (x < n && y < m && a.charCodeAt(start + x) === b.charCodeAt(start + y)) {
        x++;
        y++;
      }
      budget.steps -= x - from;
      v[offset + k] = x;
      if (x >= n && y >= m) return true;
    }
    if (budget.steps <= 0) return false;
  }
  return false;
}
