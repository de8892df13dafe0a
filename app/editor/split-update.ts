import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** One struct of an update, or a slice of one, ready to be written on its own. */
interface Unit {
  struct: Y.Item | Y.GC | Y.Skip;
  client: number;
  clock: number;
  length: number;
  bytes: number;
  /** IDs this unit needs the receiver to have before it can integrate. */
  deps: Y.ID[];
}

/** A single struct (e.g. one attribute value) larger than a message may be; it cannot be cut. */
export class UnsplittableUpdateError extends Error {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`a single change of ${bytes} bytes is larger than the ${maxBytes} bytes one message may carry`);
    this.name = "UnsplittableUpdateError";
  }
}

/** Content types whose `splice` Yjs implements; every other one has length 1 or cannot be cut. */
const SPLITTABLE = [Y.ContentString, Y.ContentAny, Y.ContentDeleted] as const;

function encodedSize(struct: Y.Item | Y.GC | Y.Skip): number {
  const encoder = new Y.UpdateEncoderV1();
  struct.write(encoder, 0);
  return encoding.length(encoder.restEncoder);
}

function depsOf(struct: Y.Item | Y.GC | Y.Skip): Y.ID[] {
  if (!(struct instanceof Y.Item)) return [];
  const deps: Y.ID[] = [];
  if (struct.origin) deps.push(struct.origin);
  if (struct.rightOrigin) deps.push(struct.rightOrigin);
  if (struct.parent instanceof Y.ID) deps.push(struct.parent);
  return deps;
}

function unitOf(struct: Y.Item | Y.GC | Y.Skip): Unit {
  return { struct, client: struct.id.client, clock: struct.id.clock, length: struct.length, bytes: encodedSize(struct), deps: depsOf(struct) };
}

/** The part [from, to) of a decoded item, as a new item (the decoded one is left as it was). */
function sliceItem(item: Y.Item, from: number, to: number): Y.Item {
  const content = item.content.copy();
  const middle = from > 0 ? content.splice(from) : content;
  if (to - from < middle.getLength()) middle.splice(to - from);
  const { client, clock } = item.id;
  const origin = from > 0 ? Y.createID(client, clock + from - 1) : item.origin;
  return new Y.Item(Y.createID(client, clock + from), null, origin, null, item.rightOrigin, item.parent, item.parentSub, middle);
}

/** Never cut a UTF-16 surrogate pair: Yjs would replace both halves with U+FFFD. */
function safeCut(item: Y.Item, at: number): number {
  if (!(item.content instanceof Y.ContentString)) return at;
  const code = item.content.str.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at + 1 : at;
}

/** Cuts a struct into units of at most `target` bytes where its content allows it. */
function unitsOf(struct: Y.Item | Y.GC | Y.Skip, target: number, out: Unit[]) {
  const whole = unitOf(struct);
  const splittable = struct instanceof Y.Item && struct.length > 1 && SPLITTABLE.some((C) => struct.content instanceof C);
  if (whole.bytes <= target || !splittable) {
    out.push(whole);
    return;
  }
  const item = struct as Y.Item;
  // Cut by length; a part that still encodes larger (multi-byte characters) is cut again.
  const pieces = Math.ceil(whole.bytes / target);
  const step = Math.max(1, Math.floor(item.length / pieces));
  let from = 0;
  while (from < item.length) {
    const to = Math.min(item.length, safeCut(item, Math.min(item.length, from + step)));
    const part = sliceItem(item, from, to);
    const unit = unitOf(part);
    if (unit.bytes > target && to - from > 1) unitsOf(part, target, out);
    else out.push(unit);
    from = to;
  }
}

/** Delete ranges by client, as the delete set of an update holds them. */
type DeleteGroup = [number, { clock: number; len: number }[]][];
/** An upper bound for one encoded delete range (two varints) with its share of a client header. */
const DELETE_RANGE_BYTES = 24;
/** An upper bound for a piece's framing around one unit: client count, run header, empty delete set. */
const PIECE_HEADER_BYTES = 32;

function encodeDeleteSet(encoder: Y.UpdateEncoderV1, clients: DeleteGroup) {
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const r of ranges) {
      encoder.writeDsClock(r.clock);
      encoder.writeDsLen(r.len);
    }
  }
}

function encodePiece(runs: Map<number, Unit[]>, deletes: DeleteGroup): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  // Higher client ids first, as Yjs writes them.
  const clients = [...runs.keys()].sort((a, b) => b - a);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const client of clients) {
    const units = runs.get(client)!;
    encoding.writeVarUint(encoder.restEncoder, units.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, units[0].clock);
    for (const u of units) u.struct.write(encoder, 0);
  }
  encodeDeleteSet(encoder, deletes);
  return encoder.toUint8Array();
}

/**
 * Splits a Yjs update (v1) into updates of at most about `targetBytes` each that, applied in the
 * order returned, integrate one after another without ever waiting for a later one: a piece holds
 * a struct only once everything it refers to (origin, right origin, parent) that the update itself
 * carries is in that piece or an earlier one, and the deletes come last. Long text is cut inside
 * its item. Applying all pieces gives exactly the document the update gives.
 *
 * `maxBytes` is the hard cap (a message's): a struct that cannot be cut and is larger than that
 * throws UnsplittableUpdateError, since no sequence of messages could carry it.
 */
export function splitUpdate(update: Uint8Array, targetBytes: number, maxBytes = targetBytes): Uint8Array[] {
  if (update.byteLength <= targetBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const queues = new Map<number, Unit[]>();
  for (const s of structs) {
    let q = queues.get(s.id.client);
    if (!q) queues.set(s.id.client, (q = []));
    unitsOf(s, targetBytes - PIECE_HEADER_BYTES, q);
  }
  for (const q of queues.values()) {
    for (const u of q) if (u.bytes + PIECE_HEADER_BYTES > maxBytes) throw new UnsplittableUpdateError(u.bytes, maxBytes);
  }
  // Clock up to which each client's structs in this update have been placed in a piece.
  const placed = new Map<number, number>();
  for (const [client, q] of queues) placed.set(client, q[0].clock);
  const ready = (dep: Y.ID) => !queues.has(dep.client) || dep.clock < placed.get(dep.client)!;

  const pieces: Uint8Array[] = [];
  let runs = new Map<number, Unit[]>();
  let bytes = 0;
  const flush = () => {
    if (runs.size > 0) pieces.push(encodePiece(runs, []));
    runs = new Map();
    bytes = 0;
  };
  const place = (u: Unit) => {
    // A client's run in a piece must be contiguous: so it is, since its queue is taken in order.
    if (bytes > 0 && bytes + u.bytes + PIECE_HEADER_BYTES > targetBytes) flush();
    let run = runs.get(u.client);
    if (!run) runs.set(u.client, (run = []));
    run.push(u);
    bytes += u.bytes + PIECE_HEADER_BYTES;
    placed.set(u.client, u.clock + u.length);
  };
  const next = new Map<number, number>([...queues.keys()].map((c) => [c, 0]));
  const clients = [...queues.keys()].sort((a, b) => b - a);
  for (;;) {
    let progressed = false;
    let left = false;
    for (const client of clients) {
      const q = queues.get(client)!;
      let i = next.get(client)!;
      while (i < q.length && q[i].deps.every(ready)) place(q[i++]);
      if (i !== next.get(client)) progressed = true;
      next.set(client, i);
      if (i < q.length) left = true;
    }
    if (!left) break;
    if (!progressed) {
      // Only a struct referring to one not yet placed of its own client could get here, which Yjs
      // never writes; place the next one anyway rather than loop.
      const client = clients.find((c) => next.get(c)! < queues.get(c)!.length)!;
      const i = next.get(client)!;
      place(queues.get(client)![i]);
      next.set(client, i + 1);
    }
  }
  // Deletes after every struct (they may refer to them), in pieces of whole ranges.
  const rangesPerPiece = Math.max(1, Math.floor(targetBytes / DELETE_RANGE_BYTES));
  const groups: DeleteGroup[] = [];
  let count = rangesPerPiece;
  for (const [client, items] of [...ds.clients.entries()].sort((a, b) => b[0] - a[0])) {
    for (let i = 0; i < items.length; i += rangesPerPiece) {
      const part = items.slice(i, i + rangesPerPiece).map((d) => ({ clock: d.clock, len: d.len }));
      if (count + part.length > rangesPerPiece) {
        groups.push([]);
        count = 0;
      }
      groups[groups.length - 1].push([client, part]);
      count += part.length;
    }
  }
  if (groups.length === 1 && bytes + count * DELETE_RANGE_BYTES <= targetBytes) {
    pieces.push(encodePiece(runs, groups[0]));
  } else {
    flush();
    for (const g of groups) pieces.push(encodePiece(new Map(), g));
  }
  return pieces;
}
