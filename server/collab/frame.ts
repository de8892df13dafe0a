import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/**
 * Broadcasts frame a message once. `ws` builds a frame header for every socket and writes header
 * and payload as two buffers (cork, writev, uncork) — per receiver, per update. An update going to
 * 64 clients is one message, so it is framed here once (RFC 6455 §5.2: FIN, binary opcode, server
 * frames unmasked) and the same bytes are written to each socket. See ADR 0104.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const n = payload.byteLength;
  const header = n < 126 ? 2 : n < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + n);
  frame[0] = 0x82;
  if (n < 126) {
    frame[1] = n;
  } else if (n < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 0x100000000), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  frame.set(payload, header);
  return frame;
}

/**
 * The TCP socket under a `ws` WebSocket, where ws 8 keeps it (`_socket`), or null. Writing a frame
 * there is what ws's own sender does when permessage-deflate is off (it is: server/collab/upgrade.ts),
 * so frames keep their order with ws's pings and close frames, and `bufferedAmount` still counts them.
 */
export function rawSocket(ws: WebSocket): Duplex | null {
  const socket = (ws as unknown as { _socket?: Duplex | null })._socket;
  return socket && typeof socket.write === "function" && socket.writable ? socket : null;
}
