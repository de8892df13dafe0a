import * as Y from "yjs";

/**
 * Yjs parks the parts of an update whose dependencies are missing (a clock gap, an origin that does
 * not exist, deletes of unknown items) in `doc.store.pendingStructs` / `pendingDs`, counts them
 * against nothing, merges every later update into them (quadratic) and writes them into
 * `encodeStateAsUpdate`. The room keeps the store's pending slots empty between messages: whatever an
 * update left there is taken out at once and either parked on its connection (bounded) or refused.
 */

/** What one apply left unintegrated: the Yjs "missing" state (client → clock it waits past) and whether deletes wait too. */
export interface LeftPending {
  missing: Map<number, number>;
  deletes: boolean;
}

/** An update from one connection that did not fully integrate, kept as received (re-applying it is idempotent). */
export interface ParkedUpdate {
  update: Uint8Array;
  missing: Map<number, number>;
  deletes: boolean;
}

/**
 * True when the decoded update starts some client's structs past what the document has, or skips
 * clocks inside one: it cannot fully integrate now. Cheap (no Yjs integration), so refused data can
 * be turned away before the document ever sees it.
 */
export function hasClockGap(decoded: ReturnType<typeof Y.decodeUpdate>, doc: Y.Doc): boolean {
  const seen = new Set<number>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) return true;
    const client = struct.id.client;
    if (seen.has(client)) continue;
    seen.add(client);
    if (struct.id.clock > Y.getState(doc.store, client)) return true;
  }
  return false;
}

/** Empties the store's pending slots; returns what was there, or null when everything integrated. */
export function takePending(doc: Y.Doc): LeftPending | null {
  const store = doc.store;
  const structs = store.pendingStructs;
  const deletes = store.pendingDs !== null;
  if (!structs && !deletes) return null;
  store.pendingStructs = null;
  store.pendingDs = null;
  return { missing: structs ? new Map(structs.missing) : new Map(), deletes };
}

/**
 * Whether re-applying could now integrate more: the document moved past a clock the update waits
 * for (the test Yjs itself uses), or the update holds deletes, whose targets Yjs does not record.
 */
export function mayIntegrateNow(parked: ParkedUpdate, doc: Y.Doc): boolean {
  if (parked.deletes) return true;
  for (const [client, clock] of parked.missing) if (clock < Y.getState(doc.store, client)) return true;
  return false;
}
