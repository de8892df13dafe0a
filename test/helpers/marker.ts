import crypto from "node:crypto";
import type { YClient } from "./yclient";
import { eventually } from "./yclient";

/**
 * Proves that nothing more is on its way from `sender` to `receiver`: the sender sets a fresh
 * awareness field and this waits until the receiver sees it. The server reads a socket's messages
 * in order and sends on each socket in order, so whatever the sender sent before the marker (an
 * edit the server must drop, say) would have reached the receiver before it. A test that must show
 * something did NOT arrive asserts after this instead of after a sleep.
 *
 * Resolves with false, without waiting out the timeout, if the receiver's socket was closed.
 */
export async function awarenessMarker(sender: YClient, receiver: YClient, timeoutMs = 10_000): Promise<boolean> {
  const marker = crypto.randomBytes(6).toString("hex");
  sender.provider.awareness.setLocalStateField("marker", marker);
  const senderId = sender.doc.clientID;
  return eventually(
    () => {
      if (receiver.closes.length > 0) return false;
      const state = receiver.provider.awareness.getStates().get(senderId) as { marker?: string } | undefined;
      if (state?.marker !== marker) throw new Error(`awareness marker ${marker} has not reached the receiver`);
      return true;
    },
    timeoutMs,
    10,
  );
}
