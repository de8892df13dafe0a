import crypto from "node:crypto";
import net from "node:net";

/** A WebSocket spoken by hand over TCP, to send frames no well-behaved library would produce. */
export interface TcpSocket {
  socket: net.Socket;
  /** Resolves with the server's close frame (code and reason), or null if the socket ended without one. */
  closeFrame: Promise<{ code: number; reason: string } | null>;
  send(bytes: Buffer): void;
}

export interface FrameOptions {
  fin?: boolean;
  /** RSV1..3 bits, 0–7. */
  rsv?: number;
  mask?: boolean;
  /** Lie about the payload length in the header. */
  declaredLength?: bigint;
}

/** Encodes one client frame. */
export function frame(opcode: number, payload: Buffer, opts: FrameOptions = {}): Buffer {
  const { fin = true, rsv = 0, mask = true } = opts;
  const length = opts.declaredLength ?? BigInt(payload.length);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = crypto.randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

/** Completes a WebSocket handshake on `/collab/<briefingId>` and hands back the raw socket. */
export function openTcpWebSocket(baseUrl: string, cookie: string, briefingId = "ankara-summit"): Promise<TcpSocket> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let resolveClose: (v: { code: number; reason: string } | null) => void;
    const closeFrame = new Promise<{ code: number; reason: string } | null>((r) => (resolveClose = r));
    socket.on("close", () => resolveClose(findCloseFrame(buffer)));
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString();
        if (!head.startsWith("HTTP/1.1 101")) return reject(new Error(`handshake refused: ${head.split("\r\n")[0]}`));
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve({ socket, closeFrame, send: (bytes) => socket.write(bytes) });
      }
      const close = findCloseFrame(buffer);
      if (close) resolveClose(close);
    });
    socket.write(
      `GET /collab/${briefingId} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n` +
        `Cookie: ${cookie}\r\nOrigin: ${baseUrl}\r\n\r\n`,
    );
  });
}

/** Walks server frames (unmasked) and returns the first close frame's code and reason. */
function findCloseFrame(buf: Buffer): { code: number; reason: string } | null {
  let pos = 0;
  while (pos + 2 <= buf.length) {
    const opcode = buf[pos] & 0x0f;
    let len = buf[pos + 1] & 0x7f;
    let offset = pos + 2;
    if (len === 126) {
      if (offset + 2 > buf.length) return null;
      len = buf.readUInt16BE(offset);
      offset += 2;
    } else if (len === 127) {
      if (offset + 8 > buf.length) return null;
      len = Number(buf.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + len > buf.length) return null;
    if (opcode === 0x8) {
      const payload = buf.subarray(offset, offset + len);
      return { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() };
    }
    pos = offset + len;
  }
  return null;
}
