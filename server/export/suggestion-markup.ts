import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";
import { locateTarget, type SuggestionKind } from "../../app/suggestions/target";
import { serverDoc } from "../yjs-doc";

/**
 * Draft exports can show open suggestions as markup (`?suggestions=markup`). The server writes them
 * into a copy of the document as text between Unicode noncharacters (reserved for a program's
 * internal use, and stripped from every body text by the export model), which the model turns
 * into struck-through and inserted runs (server/export/model.ts). The live document is never touched.
 */

/** Opens a suggestion: the original text follows. */
export const SUGGESTION_START = "\uFDD0";
/** The original ends, the replacement follows. */
export const SUGGESTION_MID = "\uFDD1";
/** The replacement ends. */
export const SUGGESTION_END = "\uFDD2";
/**
 * Right after a start marker, the suggestion's index in the list given (in decimal, U+FDE0 = 0 …
 * U+FDE9 = 9), so formats that credit the author (Word's tracked changes, Markdown) can find them.
 */
export const SUGGESTION_DIGIT_0 = "\uFDE0";

/** The start marker with the suggestion's index. */
export function startMarker(index: number): string {
  return SUGGESTION_START + [...String(index)].map((d) => String.fromCharCode(SUGGESTION_DIGIT_0.charCodeAt(0) + Number(d))).join("");
}

export interface MarkupSuggestion {
  kind: SuggestionKind;
  anchorStart: Uint8Array;
  anchorEnd: Uint8Array;
  originalText: string;
  replacement: string;
}

/** The state with every open, still applicable suggestion written in as markup, numbered by its place in `suggestions`. Outdated ones are left out. */
export function withSuggestionMarkup(update: Uint8Array, suggestions: MarkupSuggestion[]): Uint8Array {
  const doc = serverDoc();
  try {
    Y.applyUpdate(doc, update);
    doc.getXmlFragment(COLLAB_FIELD);
    doc.transact(() => {
      suggestions.forEach((s, index) => {
        let start: Y.RelativePosition;
        let end: Y.RelativePosition;
        try {
          start = Y.decodeRelativePosition(s.anchorStart);
          end = Y.decodeRelativePosition(s.anchorEnd);
        } catch {
          return;
        }
        const located = locateTarget(doc, s.kind, start, end);
        if ("problem" in located || located.target.current !== s.originalText) return;
        const target = located.target;
        if (target.kind === "topicTitle") {
          target.element.setAttribute("title", `${startMarker(index)}${s.originalText}${SUGGESTION_MID}${s.replacement}${SUGGESTION_END}`);
          return;
        }
        if (target.kind === "span") {
          // Across blocks: the model carries the open suggestion over the blocks in between.
          target.end.text.insert(target.end.index, `${SUGGESTION_MID}${s.replacement}${SUGGESTION_END}`);
          target.start.text.insert(target.start.index, startMarker(index));
          return;
        }
        // The end first, so the start's index still holds.
        target.text.insert(target.to, `${SUGGESTION_MID}${s.replacement}${SUGGESTION_END}`);
        target.text.insert(target.from, startMarker(index));
      });
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
