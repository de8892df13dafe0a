import type { Editor } from "@tiptap/core";
import { useEffect, useRef } from "react";
import type { EncodedAnchor } from "../comments/anchor";
import type { SuggestionMovesHandler, SuggestionRange } from "./suggestion-moves";
import type { SuggestionView } from "./types";
import { resolveSuggestionPlaces, suggestionAnchor, topicTitleAnchorAt, type SuggestionResult } from "./use-suggestions";

/**
 * Keeps open suggestions on text this editor moves (docs/decisions/0507): hands the
 * `SuggestionMoves` extension the suggestions while the user may move text, and re-anchors each one
 * whose anchor did not come through the move — a text suggestion to the same range at its new
 * place, a title suggestion to the topic's new element.
 */
export function useSuggestionMoves(
  editor: Editor | null,
  enabled: boolean,
  suggestions: SuggestionView[],
  reanchor: (id: string, anchor: EncodedAnchor) => Promise<SuggestionResult>,
  onError: (message: string) => void,
): void {
  const latest = useRef({ suggestions, reanchor, onError });
  latest.current = { suggestions, reanchor, onError };

  useEffect(() => {
    if (!editor || editor.isDestroyed || !enabled) return;
    const storage = (editor.storage as unknown as { suggestionMoves?: { handler: SuggestionMovesHandler | null } }).suggestionMoves;
    if (!storage) return;
    const handler: SuggestionMovesHandler = {
      currentPlaces: () => {
        const places = new Map<string, SuggestionRange>();
        for (const [id, p] of resolveSuggestionPlaces(editor, latest.current.suggestions)) places.set(id, { from: p.from, to: p.to });
        return places;
      },
      onMoved: (expected) => {
        const list = latest.current.suggestions;
        const now = resolveSuggestionPlaces(editor, list);
        for (const c of expected) {
          const s = list.find((x) => x.id === c.id && x.status === "open");
          const place = now.get(c.id);
          if (!s || (place && place.from === c.from && place.to === c.to)) continue; // its anchor came through
          const anchor = s.kind === "topicTitle" ? topicTitleAnchorAt(editor, c.from) : suggestionAnchor(editor, c.from, c.to);
          if (!anchor) continue;
          void latest.current.reanchor(c.id, anchor).then((r) => {
            if (!r.ok) latest.current.onError(`A suggestion could not follow the moved text: ${r.message}`);
          });
        }
      },
    };
    storage.handler = handler;
    return () => {
      if (storage.handler === handler) storage.handler = null;
    };
  }, [editor, enabled]);
}
