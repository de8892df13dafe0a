/**
 * A room's document as Yjs updates that, applied in order, give its full state, kept without
 * encoding it: the last exact state the room had (the rows it loaded, or its last full encoding)
 * and every change since. Exports ship these to their thread, which applies them there, so the
 * event loop never encodes a whole document for an export (ADR 0408). The changes are kept while
 * they total no more bytes than that state: past that, shipping them would cost more than one
 * encoding, so they are dropped until the room encodes its state again.
 */
export class StateParts {
  private base: Uint8Array[] | null = null;
  private baseBytes = 0;
  private changes: Uint8Array[] = [];
  private changeBytes = 0;

  /** Starts again from an exact state (stored rows, or an encoding of the document); null: none is known. */
  reset(base: Uint8Array[] | null): void {
    this.base = base;
    this.baseBytes = base ? base.reduce((n, u) => n + u.byteLength, 0) : 0;
    this.changes = [];
    this.changeBytes = 0;
  }

  /** A change the document emitted (integrated structures only, as every `update` event). */
  add(update: Uint8Array): void {
    if (!this.base) return;
    this.changes.push(update);
    this.changeBytes += update.byteLength;
    if (this.changeBytes > this.baseBytes) this.reset(null);
  }

  /** The updates, in order; null when no exact state is kept. */
  get(): Uint8Array[] | null {
    return this.base ? [...this.base, ...this.changes] : null;
  }
}
