import type { Node as PMNode } from "@tiptap/pm/model";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";
import * as Y from "yjs";

/**
 * Comment anchors: a range of the briefing body kept as two Yjs relative positions, outside the
 * document, so commenting needs no write access (docs/decisions/0501). The browser encodes them
 * from the editor selection; the browser and the server resolve them with `resolveAnchor`, so a
 * thread is detached in the list exactly when it is detached on screen.
 *
 * The start sticks to the first character of the range (assoc 0) and the end to the last one
 * (assoc -1): text typed right before or right after the range stays outside it, text typed
 * inside grows it, and deleting all of it collapses the range (the thread becomes "detached").
 */

/** Y type → ProseMirror node, as kept by y-tiptap's sync binding (or `initProseMirrorDoc` on the server). */
export type YMapping = Map<Y.AbstractType<unknown>, PMNode>;

export interface EncodedAnchor {
  /** base64 of Y.encodeRelativePosition */
  start: string;
  end: string;
}

export interface DecodedAnchor {
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

/** Where an anchor is now: a ProseMirror range, or null when its text is gone (detached). */
export type ResolvedRange = { from: number; to: number } | null;

/** Anchors encode to ~10–40 bytes; anything far longer is not one of ours. */
export const ANCHOR_MAX_CHARS = 256;

export function bytesToBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Decodes both positions; null when either is not a valid encoded relative position. */
export function decodeAnchor(anchor: EncodedAnchor): DecodedAnchor | null {
  try {
    if (anchor.start.length > ANCHOR_MAX_CHARS || anchor.end.length > ANCHOR_MAX_CHARS) return null;
    const start = Y.decodeRelativePosition(base64ToBytes(anchor.start));
    const end = Y.decodeRelativePosition(base64ToBytes(anchor.end));
    return { start, end };
  } catch {
    return null;
  }
}

/** Relative position for a ProseMirror position, attached to the character on its right (assoc 0) or left (-1). */
function relativeAt(pos: number, fragment: Y.XmlFragment, mapping: YMapping, assoc: 0 | -1): Y.RelativePosition {
  const rel = absolutePositionToRelativePosition(pos, fragment, mapping) as Y.RelativePosition;
  if (assoc === -1) return rel; // y-tiptap already attaches text positions to the left character
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, fragment.doc!);
  if (abs && abs.type instanceof Y.XmlText) return Y.createRelativePositionFromTypeIndex(abs.type, abs.index, 0);
  return rel;
}

/** Encodes the ProseMirror range [from, to) of the document bound to `fragment`. */
export function encodeAnchor(fragment: Y.XmlFragment, mapping: YMapping, from: number, to: number): EncodedAnchor {
  return {
    start: bytesToBase64(Y.encodeRelativePosition(relativeAt(from, fragment, mapping, 0))),
    end: bytesToBase64(Y.encodeRelativePosition(relativeAt(to, fragment, mapping, -1))),
  };
}

/** One relative position as a ProseMirror position in the document bound to `fragment`, or null. */
export function resolvePosition(fragment: Y.XmlFragment, mapping: YMapping, rel: Y.RelativePosition): number | null {
  const doc = fragment.doc;
  if (!doc) return null;
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs) return null;
  // Apply our assoc first, then let y-tiptap map (type, index) to ProseMirror. Re-anchoring to the
  // left character keeps y-tiptap's drag-and-drop guard (`isMisresolvedTextPosition`, which rejects
  // item-based positions at the very start of the document) from dropping a valid start position.
  const normalized = abs.type instanceof Y.XmlText ? Y.createRelativePositionFromTypeIndex(abs.type, abs.index, -1) : rel;
  return relativePositionToAbsolutePosition(doc, fragment, normalized, mapping);
}

/**
 * The anchor's current range. Null (detached) when a position no longer resolves in this document
 * or when all the anchored text was deleted, so the range collapsed.
 */
export function resolveAnchor(fragment: Y.XmlFragment, mapping: YMapping, anchor: DecodedAnchor): ResolvedRange {
  const from = resolvePosition(fragment, mapping, anchor.start);
  const to = resolvePosition(fragment, mapping, anchor.end);
  if (from === null || to === null || to <= from) return null;
  return { from, to };
}

/** The plain text of a range, blocks separated by newlines, as stored in `quoted_text`. */
export function rangeText(doc: PMNode, range: { from: number; to: number }): string {
  const to = Math.min(range.to, doc.content.size);
  const from = Math.max(0, Math.min(range.from, to));
  return doc.textBetween(from, to, "\n", " ");
}
