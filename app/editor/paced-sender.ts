import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { WebsocketProvider } from "y-websocket";
import { splitUpdate, UnsplittableUpdateError } from "./split-update";

/** The server's limits on what one user sends (server/config.ts, given to the page by its loader). */
export interface SendLimits {
  /** COLLAB_MAX_MESSAGE_BYTES: a larger message closes the socket with 4413. */
  maxMessageBytes: number;
  /** COLLAB_MAX_BYTES_PER_SECOND and COLLAB_MAX_BYTES_BURST: over them the socket is closed with 4429. */
  bytesPerSecond: number;
  burstBytes: number;
}

const MESSAGE_SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** Room for the message type, sync step and length prefix around an update. */
const FRAMING_BYTES = 16;

/**
 * Every message the WebSocket provider sends goes through here, in order: a sync step 2 or update
 * larger than the server's message cap is sent as several smaller ones of the same kind (see
 * splitUpdate), and sending is paced under the server's byte budget, so a large offline catch-up
 * or restored local copy arrives whole instead of being refused (4413) or throttled (4429).
 *
 * y-websocket has no hook for its sends (its step 2 answer, document updates, awareness and our
 * save probes all call `ws.send`), so the socket's `send` is replaced when it opens. What is still
 * queued when a socket closes is dropped: the next socket's sync step 2 carries all of it again.
 */
export class PacedSender {
  private queue: Uint8Array[] = [];
  private socket: WebSocket | null = null;
  private rawSend: ((data: Uint8Array) => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly rate: number;
  private readonly burst: number;
  /**
   * While the connection is read-only, document updates are not sent: the server would drop them.
   * The editor makes none then (read-only-guard.ts), but the provider also forwards what IndexedDB
   * loads once the socket is open, which the server already has.
   */
  holdUpdates = false;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly limits: SendLimits,
    /** A change no sequence of messages can carry: the caller stops the connection and says so. */
    private readonly onUnsendable: (error: UnsplittableUpdateError) => void,
  ) {
    // The server's budget is per user and shared by their tabs: keep well inside it.
    this.rate = Math.max(1024, Math.floor(limits.bytesPerSecond * 0.8));
    this.burst = Math.max(limits.maxMessageBytes, Math.floor(limits.burstBytes / 2));
    this.tokens = this.burst;
    provider.on("status", this.onStatus);
    if (provider.wsconnected) this.attach();
  }

  destroy() {
    this.provider.off("status", this.onStatus);
    this.detach();
  }

  private readonly onStatus = ({ status }: { status: string }) => {
    if (status === "connected") this.attach();
    else this.detach();
  };

  private attach() {
    const ws = this.provider.ws;
    if (!ws || ws === this.socket) return;
    this.detach();
    this.socket = ws;
    const send = ws.send.bind(ws);
    this.rawSend = send;
    ws.send = (data: string | ArrayBufferLike | Blob | ArrayBufferView) => {
      if (this.socket !== ws) return send(data);
      if (!(data instanceof Uint8Array)) return send(data);
      this.enqueue(data);
    };
  }

  private detach() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.socket = null;
    this.rawSend = null;
  }

  private enqueue(message: Uint8Array) {
    if (this.holdUpdates && message[0] === MESSAGE_SYNC && message[1] === SYNC_UPDATE) return;
    if (message.byteLength <= this.limits.maxMessageBytes) this.queue.push(message);
    else {
      try {
        this.queue.push(...this.split(message));
      } catch (err) {
        if (!(err instanceof UnsplittableUpdateError)) throw err;
        this.detach();
        this.onUnsendable(err);
        return;
      }
    }
    this.pump();
  }

  /** A sync step 2 or update cut into messages of the same kind, each under the cap. */
  private split(message: Uint8Array): Uint8Array[] {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    const step = type === MESSAGE_SYNC ? decoding.readVarUint(decoder) : -1;
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) {
      // Nothing else the provider sends grows with the document; the server will say if it is too large.
      return [message];
    }
    const update = decoding.readVarUint8Array(decoder);
    const max = this.limits.maxMessageBytes - FRAMING_BYTES;
    // Pieces of half the cap: fewer, smaller bursts for the server to decode than full-size ones.
    return splitUpdate(update, Math.floor(max / 2), max).map((piece) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      encoding.writeVarUint(encoder, step);
      encoding.writeVarUint8Array(encoder, piece);
      return encoding.toUint8Array(encoder);
    });
  }

  private pump() {
    if (this.timer) return;
    while (this.queue.length > 0 && this.socket && this.rawSend) {
      if (this.socket.readyState !== WebSocket.OPEN) return this.detach();
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
      this.refilledAt = now;
      const next = this.queue[0];
      if (this.tokens < next.byteLength) {
        const waitMs = Math.ceil(((next.byteLength - this.tokens) / this.rate) * 1000);
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, waitMs);
        return;
      }
      this.tokens -= next.byteLength;
      this.queue.shift();
      this.rawSend(next);
    }
  }
}
