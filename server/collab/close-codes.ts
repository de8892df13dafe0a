import { CLOSE, type CloseSpec } from "../../extensions/protocol/close-codes";

// The codes themselves are shared with the browser editor; what follows needs Node.
export { CLOSE, type CloseKind, type CloseSpec } from "../../extensions/protocol/close-codes";

/**
 * The `ws` library closes a socket itself on a protocol error (1002 bad frame, 1007 invalid
 * UTF-8, 1009 message too big) before it tells us. We translate those codes to ours so a client
 * always sees one of the codes above.
 */
export function closeForWsCode(code: number | undefined): CloseSpec | null {
  if (code === 1009) return CLOSE.messageTooLarge;
  if (code === 1002 || code === 1007) return { code: CLOSE.malformedMessage.code, reason: "malformed frame" };
  return null;
}

/** Close reasons must fit in a control frame (123 bytes of UTF-8). */
export function clampReason(reason: string): string {
  const buf = Buffer.from(reason, "utf8");
  return buf.length <= 123 ? reason : buf.subarray(0, 120).toString("utf8").replace(/\uFFFD+$/, "");
}
