/**
 * How the since-last-read banner (in the page, outside the lazily loaded editor) reaches the live
 * editor: the editor registers itself here while it is open, the banner asks it to highlight or
 * clear. No Tiptap import, so the page bundle stays small.
 */

export interface SinceReadAuthor {
  name: string;
  color: string;
}

export interface SinceReadRequest {
  /** Y.encodeStateVector of the document when the person last read it. */
  stateVector: Uint8Array;
  /** Yjs client id → who typed through it; null for the reader's own clients. */
  clients: Record<string, SinceReadAuthor | null>;
}

export interface SinceReadTarget {
  /** Highlights what is newer than the request's state vector; returns the number of runs marked. */
  highlight(request: SinceReadRequest): number;
  clear(): void;
}

let target: SinceReadTarget | null = null;
const listeners = new Set<() => void>();

/** Registers the open editor; the returned function unregisters it. */
export function registerSinceReadTarget(t: SinceReadTarget): () => void {
  target = t;
  listeners.forEach((l) => l());
  return () => {
    if (target !== t) return;
    target = null;
    listeners.forEach((l) => l());
  };
}

export function sinceReadTarget(): SinceReadTarget | null {
  return target;
}

/** For useSyncExternalStore: told when an editor opens or closes. */
export function subscribeSinceReadTarget(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
