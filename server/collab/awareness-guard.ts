import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** One entry of a y-protocols awareness update. */
export interface AwarenessEntry {
  clientID: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** What other people see of a user next to their caret: always taken from the server session. */
export interface Presence {
  id: string;
  name: string;
  color: string;
}

/** A client normally owns one awareness id per connection; a few more cover a reloaded editor. */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;
const MAX_STATE_CHARS = 16 * 1024;

/**
 * The presence the server stamps on a connection's awareness states. The colour is the user's
 * stored one (users.color), the same colour the page gives their avatar and caret, so every view of
 * the briefing shows one person in one colour whatever their client claims.
 */
export function presenceFor(user: { id: string; name: string; color: string }): Presence {
  return { id: user.id, name: user.name, color: user.color };
}

/** Decodes an awareness update strictly; throws on anything malformed (the caller closes 4400). */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const len = decoding.readVarUint(decoder);
  if (len > update.length) throw new Error("awareness entry count exceeds message");
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < len; i++) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    const state: unknown = JSON.parse(json);
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new Error("awareness state is not an object");
    if (json.length > MAX_STATE_CHARS) throw new Error("awareness state too large");
    entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after awareness update");
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientID);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Keeps only the entries this connection may set: ids it already owns, or new ids nobody owns
 * (up to MAX_AWARENESS_IDS_PER_CONNECTION). Every kept state gets the server's `user` field, so a
 * client cannot pose as someone else. `owned` is updated with newly claimed ids.
 */
export function filterAwareness(
  entries: readonly AwarenessEntry[],
  owned: Set<number>,
  isOwnedElsewhere: (clientID: number) => boolean,
  presence: Presence,
): { accepted: AwarenessEntry[]; rejected: number } {
  const accepted: AwarenessEntry[] = [];
  let rejected = 0;
  for (const e of entries) {
    if (!owned.has(e.clientID)) {
      if (isOwnedElsewhere(e.clientID) || owned.size >= MAX_AWARENESS_IDS_PER_CONNECTION || e.state === null) {
        rejected++;
        continue;
      }
      owned.add(e.clientID);
    }
    accepted.push({ ...e, state: e.state === null ? null : { ...e.state, user: { ...presence } } });
  }
  return { accepted, rejected };
}
