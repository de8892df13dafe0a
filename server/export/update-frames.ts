import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { serverDoc } from "../yjs-doc";

/**
 * Several Yjs updates in one buffer, each with its length first (lib0's var-length arrays). A job
 * message then holds one typed array, copied once, however many updates a briefing's stored log
 * or a room's recent changes count: thousands of small typed arrays cost the serializer tens of
 * milliseconds on the event loop, and Y.mergeUpdates of thousands of keystrokes takes seconds.
 */
export function frameUpdates(updates: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, updates.length);
  for (const u of updates) encoding.writeVarUint8Array(encoder, u);
  return encoding.toUint8Array(encoder);
}

/** The full state of framed updates, applied in order to one document (in the export's own thread). */
export function stateOfFrames(frames: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frames);
  const doc = serverDoc();
  try {
    doc.transact(() => {
      for (let n = decoding.readVarUint(decoder); n > 0; n--) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
