import * as encoding from "lib0/encoding";
import { writePermissionDenied } from "y-protocols/auth";

/** y-websocket message types (y-websocket `src/y-websocket.js`, y-protocols `sync.js`). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

function frame(type: number, sub: number | null, payload: Uint8Array | null): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (sub !== null) encoding.writeVarUint(encoder, sub);
  if (payload !== null) encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Message = (stateVector: Uint8Array) => frame(MESSAGE_SYNC, SYNC_STEP1, stateVector);
export const syncStep2Message = (update: Uint8Array) => frame(MESSAGE_SYNC, SYNC_STEP2, update);
export const updateMessage = (update: Uint8Array) => frame(MESSAGE_SYNC, SYNC_UPDATE, update);
export const awarenessMessage = (update: Uint8Array) => frame(MESSAGE_AWARENESS, null, update);

/** y-protocols auth "permission denied": a stock client logs it; our editor turns read-only. */
export function permissionDeniedMessage(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}
