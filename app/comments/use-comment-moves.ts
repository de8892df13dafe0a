import type { Editor } from "@tiptap/core";
import { useEffect, useRef } from "react";
import type { EncodedAnchor } from "./anchor";
import type { CommentMovesHandler } from "./comment-moves";
import type { ThreadView } from "./types";
import { anchorForRange, resolveThreadRanges } from "./use-anchor-ranges";
import type { MutationResult } from "./use-comment-threads";

/**
 * Keeps threads on text this editor moves (ADR 0502): hands the `CommentMoves` extension the
 * threads while the user may move text, and re-anchors each thread whose anchor did not come
 * through the move.
 */
export function useCommentMoves(
  editor: Editor | null,
  enabled: boolean,
  threads: ThreadView[],
  reanchor: (threadId: string, anchor: EncodedAnchor) => Promise<MutationResult>,
  onError: (message: string) => void,
): void {
  const latest = useRef({ threads, reanchor, onError });
  latest.current = { threads, reanchor, onError };

  useEffect(() => {
    if (!editor || editor.isDestroyed || !enabled) return;
    const storage = (editor.storage as unknown as { commentMoves?: { handler: CommentMovesHandler | null } }).commentMoves;
    if (!storage) return;
    const handler: CommentMovesHandler = {
      currentRanges: () => resolveThreadRanges(editor, latest.current.threads) ?? new Map(),
      onMoved: (expected) => {
        const now = resolveThreadRanges(editor, latest.current.threads);
        for (const c of expected) {
          const range = now?.get(c.threadId);
          if (range && range.from === c.from && range.to === c.to) continue; // its anchor came through
          const anchor = anchorForRange(editor, c.from, c.to);
          if (!anchor) continue;
          void latest.current.reanchor(c.threadId, anchor).then((r) => {
            if (!r.ok) latest.current.onError(`A comment could not follow the moved text: ${r.message}`);
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
