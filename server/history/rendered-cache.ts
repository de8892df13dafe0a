import { renderedBytes, type Rendered } from "./rendered";

/**
 * Rendered versions by briefing and number, least recently used first out, bounded by their
 * approximate size in bytes (HISTORY_CACHE_MB). A version never changes once recorded, so an entry
 * is never stale; a number another process took first is forgotten explicitly.
 */
export class RenderedCache {
  private readonly entries = new Map<string, { rendered: Rendered; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get(briefingId: string, seq: number): Rendered | undefined {
    const key = `${briefingId}\0${seq}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Map order is insertion order: re-inserting marks it most recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.rendered;
  }

  set(briefingId: string, seq: number, rendered: Rendered): void {
    const key = `${briefingId}\0${seq}`;
    this.forgetKey(key);
    const bytes = renderedBytes(rendered);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { rendered, bytes });
    this.total += bytes;
    for (const [k] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.forgetKey(k);
    }
  }

  forget(briefingId: string, seq: number): void {
    this.forgetKey(`${briefingId}\0${seq}`);
  }

  private forgetKey(key: string) {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.total -= old.bytes;
  }
}
