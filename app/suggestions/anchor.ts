import { absolutePositionToRelativePosition } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { bytesToBase64, type EncodedAnchor, type YMapping } from "../comments/anchor";
import { elementPosition } from "./target";

/**
 * Anchors of suggestions that are not a range of text (a range uses the comments' encodeAnchor).
 * An insertion names one place: both positions stick to the character before the caret, so text
 * typed there meanwhile by others stays before the suggested insertion.
 */
export function caretAnchor(fragment: Y.XmlFragment, mapping: YMapping, pos: number): EncodedAnchor {
  const rel = Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, fragment, mapping) as Y.RelativePosition);
  const b64 = bytesToBase64(rel);
  return { start: b64, end: b64 };
}

/** An agenda topic's title: both positions name the topic's element. */
export function titleAnchor(element: Y.XmlElement): EncodedAnchor {
  const b64 = bytesToBase64(Y.encodeRelativePosition(elementPosition(element)));
  return { start: b64, end: b64 };
}
