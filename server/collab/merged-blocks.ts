import * as Y from "yjs";
import { MERGED_BLOCKS_META, type BlockMerge, type ItemId } from "../../app/suggestions/merged-block";

/**
 * Typing that reaches the server after an accept merged its block away (docs/decisions/0602).
 *
 * An accept across blocks copies the end block's remaining text into the first block and deletes
 * the end block (docs/decisions/0506). A client that typed in that text before it heard of the
 * accept sends characters whose neighbours are now in a deleted block: Yjs integrates them there,
 * deleted, and with garbage collection keeps nothing of their content. The room keeps, for a
 * while, which deleted character was copied to which (the accept's BlockMerge records); an update
 * whose structs sit next to one of those characters is read from its own bytes before it is
 * applied (that is where its text still is), and its text is written after the copy of its
 * neighbour in a server change credited to the typist.
 *
 * The records live in the document itself, in the top-level map MERGED_BLOCKS_MAP
 * (app/suggestions/merged-block.ts), written in the
 * same transaction as the change that made them: so they are stored with the document, reach every
 * instance's room through the fan-out, and are there again when a room loads after an unload or a
 * restart (docs/decisions/0602, dated section). Each room keeps an index of them for the lookups.
 */

export interface MergedBlockLimits {
  /** How long after an accept its merge is remembered, in ms (0: not at all). */
  ttlMs: number;
  /** Remembered runs per room (copied runs plus rescued text); the oldest go first. */
  maxRuns: number;
}

/** Where text goes that was typed next to a remembered character, and the marks it takes. */
interface Spot {
  rel: Y.RelativePosition;
  /** Marks set (or, null, removed) by the typist's own format items; the rest follow the text before it. */
  marks: Record<string, unknown> | null;
}

/** `length` characters from `from` on: each copied to `to` + offset, or all standing at `spot`. */
interface Entry {
  /** Its key in MERGED_BLOCKS_MAP: kind ("r" copied or rescued run, "s" spot, "b" deleted block) and `from`. */
  key: string;
  from: ItemId;
  length: number;
  to: ItemId | null;
  spot: Spot | null;
  /** For rescued text (`to`): the typist's marks it was written with, which text typed after it takes too. */
  marks: Record<string, unknown> | null;
  expires: number;
}

/** One struct of an incoming update that sits in a merged-away block, as much of it as the room lacked. */
export interface LateStruct {
  id: ItemId;
  length: number;
  origin: ItemId | null;
  rightOrigin: ItemId | null;
  parent: ItemId | null;
  content: { kind: "text"; text: string } | { kind: "format"; key: string; value: unknown } | { kind: "other" };
}

const keyOf = (id: ItemId) => `${id.client}:${id.clock}`;

/** An entry as MERGED_BLOCKS_MAP holds it (JSON: plain numbers, arrays and objects). */
interface StoredEntry {
  from: [number, number];
  length: number;
  to?: [number, number];
  spot?: { rel: Record<string, unknown>; marks: Record<string, unknown> | null };
  marks: Record<string, unknown> | null;
  /** Epoch milliseconds: the records are read by other processes and after restarts. */
  expires: number;
}

type NewEntry = Omit<Entry, "key">;

export class MergedBlocks {
  /** Insertion order, for dropping the oldest. */
  private entries: Entry[] = [];
  /** Per client, entries sorted by their first clock. */
  private byClient = new Map<number, Entry[]>();
  /** Deleted blocks' text types: typing into an empty one names it as its parent. */
  private blocks = new Map<string, Entry>();
  /** Keys of the entries indexed (an entry read back from the map is not indexed twice). */
  private keys = new Set<string>();
  private nextExpiry = Infinity;

  /**
   * `map`: the document's MERGED_BLOCKS_MAP. What it holds is indexed now, and what other
   * processes write to it (arriving in updates) as it arrives.
   */
  constructor(
    private readonly limits: MergedBlockLimits,
    private readonly map: Y.Map<unknown>,
    private readonly now: () => number = Date.now,
  ) {
    for (const [key, value] of map) this.index(key, value);
    map.observe((event) => {
      if (event.transaction.local) return; // written here: indexed when written
      for (const key of event.keysChanged) this.index(key, map.get(key));
    });
  }

  /** Indexes a stored entry, unless it is malformed, expired or indexed already. */
  private index(key: string, value: unknown): void {
    const stored = parseStored(value);
    if (!stored || this.keys.has(key) || stored.expires <= this.now()) return;
    let spot: Spot | null;
    try {
      spot = stored.spot ? { rel: Y.createRelativePositionFromJSON(stored.spot.rel), marks: stored.spot.marks } : null;
    } catch {
      return;
    }
    const entry: Entry = {
      key,
      from: { client: stored.from[0], clock: stored.from[1] },
      length: stored.length,
      to: stored.to ? { client: stored.to[0], clock: stored.to[1] } : null,
      spot,
      marks: stored.marks,
      // Written by a process whose setting may differ (or by a client): never kept longer than ours allows.
      expires: Math.min(stored.expires, this.now() + this.limits.ttlMs),
    };
    if (key.startsWith("b:")) this.addBlock(entry);
    else this.addEntry(entry);
  }

  /** Whether anything is remembered (checked before each update: one comparison when nothing is). */
  get active(): boolean {
    if (this.entries.length === 0 && this.blocks.size === 0) return false;
    if (this.now() >= this.nextExpiry) this.rebuild((e) => e.expires > this.now());
    return this.entries.length > 0 || this.blocks.size > 0;
  }

  /**
   * Remembers the merges of a server change (from its transaction's meta). Call inside that
   * transaction: the records are written to the map in it.
   */
  recordFrom(meta: Map<unknown, unknown>): void {
    const merges = meta.get(MERGED_BLOCKS_META) as BlockMerge[] | undefined;
    if (!merges || this.limits.ttlMs <= 0) return;
    this.pruneStored();
    const expires = this.now() + this.limits.ttlMs;
    for (const merge of merges) {
      for (const run of merge.runs) this.add({ from: run.from, length: run.length, to: run.to, spot: null, marks: null, expires });
      const start: Spot = { rel: merge.start, marks: null };
      if (merge.edge) this.add({ from: merge.edge, length: 1, to: null, spot: start, marks: null, expires });
      if (merge.block) this.add({ from: merge.block, length: 1, to: null, spot: start, marks: null, expires }, "b");
    }
  }

  /**
   * Before `structs` are applied: those that sit in a merged-away block (next to a remembered
   * character, or next to another such struct of the same update), cut to what `doc` lacks.
   * Null when there are none. One lookup per struct of the update.
   */
  lateIn(doc: Y.Doc, structs: (Y.Item | Y.GC | Y.Skip)[]): LateStruct[] | null {
    let out: LateStruct[] | null = null;
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || struct.parentSub !== null) continue;
      const skip = Y.getState(doc.store, struct.id.client) - struct.id.clock;
      if (skip >= struct.length) continue;
      // What the room already has of it is its left neighbour then.
      const origin = skip > 0 ? { client: struct.id.client, clock: struct.id.clock + skip - 1 } : idOf(struct.origin);
      const right = idOf(struct.rightOrigin);
      const parent = parentId(struct);
      const named =
        (origin !== null && this.find(origin) !== null) ||
        (right !== null && this.find(right) !== null) ||
        (parent !== null && this.blocks.has(keyOf(parent))) ||
        (out !== null && out.some((o) => inside(origin, o) || inside(right, o)));
      if (named) (out ??= []).push(cut(struct, Math.max(0, skip), origin, right, parent));
    }
    return out;
  }

  /**
   * Writes late text after the copy of its neighbour (call inside one server change, after the
   * update was applied). Structs the document did not integrate (still waiting for others) are
   * left out. Returns the characters written.
   */
  rescue(doc: Y.Doc, late: LateStruct[]): number {
    this.pruneStored();
    let written = 0;
    // Only text that integrated in a deleted block was lost (records may come from an editor's client).
    let todo = late.filter((s) => Y.getState(doc.store, s.id.client) >= s.id.clock + s.length && landedInDeleted(doc, s));
    // A struct may follow one of another client listed after it: go round while something lands.
    for (let round = 0; todo.length > 0 && round < 4; round++) {
      const next: LateStruct[] = [];
      for (const s of todo) {
        const spot = this.spotFor(s);
        if (!spot) {
          next.push(s);
          continue;
        }
        written += this.place(doc, s, spot);
      }
      if (next.length === todo.length) break;
      todo = next;
    }
    return written;
  }

  private place(doc: Y.Doc, s: LateStruct, spot: Spot): number {
    const expires = this.now() + this.limits.ttlMs;
    if (s.content.kind === "format") {
      // A mark switched on or off by the typist: what follows it takes it.
      const marks = { ...(spot.marks ?? {}), [s.content.key]: s.content.value };
      this.add({ from: s.id, length: s.length, to: null, spot: { rel: spot.rel, marks }, marks: null, expires });
      return 0;
    }
    if (s.content.kind === "other") {
      // Deleted before it was sent, or not text: what follows it stands where it would have.
      this.add({ from: s.id, length: s.length, to: null, spot, marks: null, expires });
      return 0;
    }
    const at = Y.createAbsolutePositionFromRelativePosition(spot.rel, doc);
    if (!at || !(at.type instanceof Y.XmlText) || !isLive(at.type)) return 0;
    const text = at.type;
    if (spot.marks) text.insert(at.index, s.content.text, { ...marksBefore(text, at.index), ...spot.marks });
    else text.insert(at.index, s.content.text);
    const first = Y.createRelativePositionFromTypeIndex(text, at.index, 0).item;
    if (first) this.add({ from: s.id, length: s.length, to: { client: first.client, clock: first.clock }, spot: null, marks: spot.marks, expires });
    return s.content.text.length;
  }

  /** Where a struct goes: after its left neighbour's copy, at a merge's start, or before its right neighbour's copy. */
  private spotFor(s: LateStruct): Spot | null {
    if (s.origin) {
      const hit = this.find(s.origin);
      if (hit) return hit.entry.to ? { rel: rel(hit.entry.to, hit.offset, -1), marks: hit.entry.marks } : hit.entry.spot;
    }
    if (s.rightOrigin) {
      const hit = this.find(s.rightOrigin);
      if (hit) return hit.entry.to ? { rel: rel(hit.entry.to, hit.offset, 0), marks: hit.entry.marks } : hit.entry.spot;
    }
    if (s.parent) return this.blocks.get(keyOf(s.parent))?.spot ?? null;
    return null;
  }

  private find(id: ItemId): { entry: Entry; offset: number } | null {
    const list = this.byClient.get(id.client);
    if (!list) return null;
    // The last entry starting at or before the clock.
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].from.clock <= id.clock) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return null;
    const entry = list[found];
    const offset = id.clock - entry.from.clock;
    if (offset >= entry.length || entry.expires <= this.now()) return null;
    return { entry, offset };
  }

  /** Indexes a new entry and writes it to the map (call inside a transaction on the document). */
  private add(fields: NewEntry, kind: "r" | "s" | "b" = fields.to ? "r" : "s"): void {
    if (fields.length <= 0) return;
    const entry: Entry = { key: `${kind}:${keyOf(fields.from)}`, ...fields };
    if (this.keys.has(entry.key)) return;
    this.map.set(entry.key, toStored(entry));
    if (kind === "b") this.addBlock(entry);
    else this.addEntry(entry);
  }

  private addBlock(entry: Entry): void {
    // Over the cap the oldest goes (a Map keeps insertion order); the map loses it at the next prune.
    if (this.blocks.size >= this.limits.maxRuns) {
      const [oldest, dropped] = this.blocks.entries().next().value as [string, Entry];
      this.blocks.delete(oldest);
      this.keys.delete(dropped.key);
    }
    this.keys.add(entry.key);
    this.blocks.set(keyOf(entry.from), entry);
    this.nextExpiry = Math.min(this.nextExpiry, entry.expires);
  }

  private addEntry(entry: Entry): void {
    this.keys.add(entry.key);
    this.entries.push(entry);
    let list = this.byClient.get(entry.from.client);
    if (!list) this.byClient.set(entry.from.client, (list = []));
    let at = list.length;
    while (at > 0 && list[at - 1].from.clock > entry.from.clock) at--;
    list.splice(at, 0, entry);
    this.nextExpiry = Math.min(this.nextExpiry, entry.expires);
    // Over the cap: the oldest tenth goes at once, so the rebuild is not paid on every add.
    if (this.entries.length > this.limits.maxRuns) {
      const drop = new Set(this.entries.slice(0, Math.max(1, Math.ceil(this.limits.maxRuns / 10))));
      this.rebuild((e) => !drop.has(e));
    }
  }

  /**
   * Deletes from the map what the index no longer holds: expired, dropped for the cap, or
   * malformed. Only inside a transaction the room makes anyway (a merge or a rescue), so pruning
   * never makes a change of its own.
   */
  private pruneStored(): void {
    if (this.now() >= this.nextExpiry) this.rebuild(() => true);
    for (const key of Array.from(this.map.keys())) if (!this.keys.has(key)) this.map.delete(key);
  }

  private rebuild(keep: (e: Entry) => boolean): void {
    const now = this.now();
    this.entries = this.entries.filter((e) => keep(e) && e.expires > now);
    this.byClient = new Map();
    for (const e of this.entries) {
      let list = this.byClient.get(e.from.client);
      if (!list) this.byClient.set(e.from.client, (list = []));
      list.push(e);
    }
    for (const list of this.byClient.values()) list.sort((a, b) => a.from.clock - b.from.clock);
    for (const [k, b] of this.blocks) if (b.expires <= now) this.blocks.delete(k);
    this.keys = new Set([...this.entries.map((e) => e.key), ...Array.from(this.blocks.values(), (b) => b.key)]);
    this.nextExpiry = Infinity;
    for (const e of this.entries) this.nextExpiry = Math.min(this.nextExpiry, e.expires);
    for (const b of this.blocks.values()) this.nextExpiry = Math.min(this.nextExpiry, b.expires);
  }
}

function toStored(e: Entry): StoredEntry {
  return {
    from: [e.from.client, e.from.clock],
    length: e.length,
    ...(e.to ? { to: [e.to.client, e.to.clock] as [number, number] } : {}),
    ...(e.spot ? { spot: { rel: Y.relativePositionToJSON(e.spot.rel) as Record<string, unknown>, marks: e.spot.marks } } : {}),
    marks: e.marks,
    expires: e.expires,
  };
}

const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n) && n >= 0);
const isMarks = (v: unknown): v is Record<string, unknown> | null => v === null || (typeof v === "object" && !Array.isArray(v));

/** A map value as an entry, or null when it is not one (the map is the server's own; still, never trust bytes). */
function parseStored(value: unknown): StoredEntry | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<StoredEntry>;
  if (!isPair(v.from) || !Number.isSafeInteger(v.length) || (v.length as number) <= 0 || typeof v.expires !== "number" || !Number.isFinite(v.expires)) return null;
  if (v.to !== undefined && !isPair(v.to)) return null;
  if (v.spot !== undefined && (!v.spot || typeof v.spot.rel !== "object" || !isMarks(v.spot.marks))) return null;
  if (!isMarks(v.marks ?? null)) return null;
  if (v.to === undefined && v.spot === undefined) return null;
  return { ...v, marks: v.marks ?? null } as StoredEntry;
}

/** The part of an update's item from `skip` on (the room has the characters before it). */
function cut(item: Y.Item, skip: number, origin: ItemId | null, rightOrigin: ItemId | null, parent: ItemId | null): LateStruct {
  const c = item.content;
  const content: LateStruct["content"] =
    c instanceof Y.ContentString
      ? { kind: "text", text: c.str.slice(skip) }
      : c instanceof Y.ContentFormat
        ? { kind: "format", key: c.key, value: c.value }
        : { kind: "other" };
  return { id: { client: item.id.client, clock: item.id.clock + skip }, length: item.length - skip, origin, rightOrigin, parent, content };
}

/** An item's parent when the update names it by id (an item with no neighbours, in an empty type). */
function parentId(item: Y.Item): ItemId | null {
  const p = item.parent as unknown;
  return p instanceof Y.ID ? { client: p.client, clock: p.clock } : null;
}

const idOf = (id: Y.ID | null): ItemId | null => (id ? { client: id.client, clock: id.clock } : null);

const inside = (id: ItemId | null, s: LateStruct) => id !== null && id.client === s.id.client && id.clock >= s.id.clock && id.clock < s.id.clock + s.length;

/** Before (assoc 0) or after (assoc -1) the character `offset` into a copied run. */
function rel(to: ItemId, offset: number, assoc: number): Y.RelativePosition {
  return Y.createRelativePositionFromJSON({ type: null, tname: null, item: { client: to.client, clock: to.clock + offset }, assoc });
}

/** Whether the struct the room integrated for `s` is deleted, collected, or in a deleted type. */
function landedInDeleted(doc: Y.Doc, s: LateStruct): boolean {
  const struct = Y.getItem(doc.store, Y.createID(s.id.client, s.id.clock));
  if (!(struct instanceof Y.Item)) return true; // collected: its type was deleted
  return struct.deleted || !isLive(struct.parent as unknown as { _item: Y.Item | null });
}

function isLive(type: { _item: Y.Item | null }): boolean {
  for (let item = type._item; item; item = (item.parent as { _item: Y.Item | null })._item) if (item.deleted) return false;
  return true;
}

/** The marks of the character before `index` (the ones typing there takes). */
function marksBefore(text: Y.XmlText, index: number): Record<string, unknown> {
  let at = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const len = typeof op.insert === "string" ? op.insert.length : 1;
    if (index - 1 < at + len) return op.attributes ?? {};
    at += len;
  }
  return {};
}
