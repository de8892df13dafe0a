import * as Y from "yjs";

// A fresh client id per call (random base, then counting) so that no two batches, of one process
// or of a test and a benchmark running at once, share a Yjs client.
let nextClient = 7_000_000 + Math.floor(Math.random() * 1_000_000);

/** A Yjs client id no other document of this process has used. */
export function freshClientId(): number {
  return nextClient++;
}

/**
 * `n` updates of about `bytes` each from one fresh client, all after a first chunk that is never
 * sent: every one starts at a clock the server does not have (a clock gap), so Yjs can only park
 * them as pending structures. Used by the pending-update tests and the pending-flood benchmark.
 */
export function gapUpdates(n: number, bytes: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = freshClientId();
  const text = doc.getText("junk");
  text.insert(0, "never sent ".repeat(100));
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) text.insert(text.length, String(i % 10).repeat(bytes));
  doc.destroy();
  return updates;
}
