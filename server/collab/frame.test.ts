import { describe, expect, it } from "vitest";
import * as wsModule from "ws";
import { binaryFrame } from "./frame";

interface FrameReceiver {
  on(event: "message", listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: "error", listener: (err: Error) => void): void;
  write(chunk: Buffer): boolean;
}
// ws exports its frame parser at run time; its type declarations leave it out.
const { Receiver } = wsModule as unknown as { Receiver: new (options: object) => FrameReceiver };

/** Parses frames with ws's own receiver, as a client would. */
function receive(frames: Buffer[]): Promise<Buffer[]> {
  const receiver = new Receiver({ isServer: false, binaryType: "nodebuffer", maxPayload: 0 });
  const messages: Buffer[] = [];
  return new Promise((resolve, reject) => {
    receiver.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) reject(new Error("text frame"));
      messages.push(data);
      if (messages.length === frames.length) resolve(messages);
    });
    receiver.on("error", reject);
    for (const f of frames) receiver.write(f);
  });
}

describe("binaryFrame", () => {
  it("frames payloads of every length class so a WebSocket client reads them back unchanged", async () => {
    const sizes = [0, 1, 125, 126, 300, 0xffff, 0x10000, 200_000];
    const payloads = sizes.map((n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff)));
    const frames = payloads.map((p) => binaryFrame(p));
    expect(frames.map((f) => f.length - sizes[frames.indexOf(f)])).toEqual([2, 2, 2, 4, 4, 4, 10, 10]);
    const received = await receive(frames);
    expect(received.map((m) => m.length)).toEqual(sizes);
    received.forEach((m, i) => expect(m.equals(payloads[i])).toBe(true));
  });
});
