import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";

/** y-websocket's message type for sync messages (y-websocket does not export it as a type). */
const MESSAGE_SYNC = 0;

/** How long to wait after a local edit before asking the server to confirm; coalesces keystrokes. */
export const PROBE_DELAY_MS = 150;

/**
 * Tells whether every local change has reached the server, over the stock y-websocket protocol
 * (which has no acknowledgements). See docs/decisions/0301-truthful-save-state.md.
 *
 * The server answers every sync step 1 with exactly one sync step 2, in the order messages
 * arrived on the socket, after applying everything sent before it. So after sending local
 * updates we send a step 1 (a "probe"); its step 2 answer proves the server has applied every
 * update we sent earlier on that socket. `acked === local` means nothing is outstanding.
 *
 * Probing starts only after the connection's handshake: our step 2 answer to the server's step 1
 * is what delivers edits made while offline, so a probe sent after it covers those too.
 */
export class SaveTracker {
  /** Counts local document changes (typing, and changes loaded from IndexedDB). */
  private localSeq = 0;
  /** The highest `localSeq` the server has confirmed on the current or an earlier socket. */
  private ackedSeq = 0;
  /** Outstanding step 1 messages on the current socket, oldest first; `null` = not ours. */
  private pending: (number | null)[] = [];
  private handshakeDone = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly originalSyncHandler: WebsocketProvider["messageHandlers"][number];

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
  ) {
    this.originalSyncHandler = provider.messageHandlers[MESSAGE_SYNC];
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, prov, emitSynced, messageType) => {
      const syncType = decoding.readVarUint(decoding.clone(decoder));
      this.originalSyncHandler(encoder, decoder, prov, emitSynced, messageType);
      if (syncType === syncProtocol.messageYjsSyncStep1) this.onServerStep1();
      else if (syncType === syncProtocol.messageYjsSyncStep2) this.onStep2();
    };
    provider.on("status", this.onStatus);
    doc.on("update", this.onUpdate);
  }

  /** True when every local change is confirmed by the server over a live, synced connection. */
  get saved(): boolean {
    return this.provider.wsconnected && this.provider.synced && this.handshakeDone && this.ackedSeq === this.localSeq;
  }

  /** Local changes the server has not confirmed yet. */
  get hasUnconfirmedChanges(): boolean {
    return this.ackedSeq !== this.localSeq;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy() {
    if (this.timer) clearTimeout(this.timer);
    this.provider.messageHandlers[MESSAGE_SYNC] = this.originalSyncHandler;
    this.provider.off("status", this.onStatus);
    this.doc.off("update", this.onUpdate);
    this.listeners.clear();
  }

  private emit() {
    for (const l of this.listeners) l();
  }

  private readonly onStatus = ({ status }: { status: string }) => {
    // The provider emits "connected" just before it sends its own step 1 on the new socket;
    // that step 1's answer confirms nothing of ours, so it takes a `null` slot.
    this.pending = status === "connected" ? [null] : [];
    this.handshakeDone = false;
    this.emit();
  };

  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.provider) return;
    this.localSeq++;
    this.scheduleProbe(PROBE_DELAY_MS);
    this.emit();
  };

  private onServerStep1() {
    // y-websocket sends our step 2 answer right after this handler returns; probe after it.
    queueMicrotask(() => {
      this.handshakeDone = true;
      this.sendProbe();
      this.emit();
    });
  }

  private onStep2() {
    if (this.pending.length === 0) return;
    const seq = this.pending.shift()!;
    if (seq !== null && seq > this.ackedSeq) this.ackedSeq = seq;
    if (this.ackedSeq !== this.localSeq) this.scheduleProbe(PROBE_DELAY_MS);
    this.emit();
  }

  private scheduleProbe(delay: number) {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sendProbe();
    }, delay);
  }

  private sendProbe() {
    const ws = this.provider.ws;
    if (!this.handshakeDone || !ws || ws.readyState !== ws.OPEN) return;
    // One probe in flight at a time: its answer covers everything sent before it, and a later
    // edit schedules the next probe when this one is answered.
    if (this.pending.some((p) => p !== null)) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.pending.push(this.localSeq);
    ws.send(encoding.toUint8Array(encoder));
  }
}
