import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { movedRange, type BlockMove } from "../editor/block-move";
import type { ResolvedRange } from "./anchor";

/**
 * Keeps comment threads on their text when an editor moves blocks (agenda topic Move up/down, drag
 * and drop). Yjs has no move: y-tiptap writes a move as deletes and inserts, and may recreate not
 * only the moved block but the blocks it passed, so anchors into any of them can end up detached.
 * ProseMirror knows where every range went, so at the move this plugin records each thread's
 * expected range afterwards (inside the moved block: the same offset at its new place; elsewhere:
 * mapped), maps those through later transactions, and once y-tiptap has written the move into the
 * Y.Doc hands them to `onMoved`, which re-anchors the threads whose anchors no longer resolve there
 * (POST intent=reanchor, editors and owners only).
 */

export interface CarriedThread {
  threadId: string;
  from: number;
  to: number;
}

export const commentMovesKey = new PluginKey<CarriedThread[]>("commentMoves");

const CLEAR = "clear";

/** Where each thread's text is after the move; threads whose text the transaction deleted are left out. */
export function expectedRanges(tr: Transaction, move: BlockMove, ranges: Map<string, ResolvedRange>): CarriedThread[] {
  const expected: CarriedThread[] = [];
  for (const [threadId, r] of ranges) {
    if (!r) continue;
    const from = tr.mapping.map(r.from, 1);
    const to = tr.mapping.map(r.to, -1);
    if (to > from) expected.push({ threadId, from, to }); // still there (elsewhere, or a copy-drop)
    else if (r.from >= move.from && r.to <= move.to) {
      expected.push({ threadId, from: move.newFrom + (r.from - move.from), to: move.newFrom + (r.to - move.from) });
    }
  }
  return expected;
}

export function commentMovesPlugin(options: {
  /** Every thread's range in the document as it is before the transaction (resolved from Yjs). */
  currentRanges: () => Map<string, ResolvedRange>;
  /** Every thread's range after the move, in the current document, once the Y.Doc has it too. */
  onMoved: (expected: CarriedThread[]) => void;
}): Plugin<CarriedThread[]> {
  return new Plugin<CarriedThread[]>({
    key: commentMovesKey,
    state: {
      init: () => [],
      apply(tr, pending, before) {
        if (tr.getMeta(commentMovesKey) === CLEAR) return [];
        if (!tr.docChanged) return pending;
        const move = movedRange(tr, before);
        if (move) {
          // Until the previous move has reached the Y.Doc, what it expected is the truth.
          const ranges = pending.length > 0 ? new Map(pending.map((c) => [c.threadId, { from: c.from, to: c.to }])) : options.currentRanges();
          return expectedRanges(tr, move, ranges);
        }
        return pending.map((c) => ({ ...c, from: tr.mapping.map(c.from, 1), to: tr.mapping.map(c.to, -1) })).filter((c) => c.to > c.from);
      },
    },
    view() {
      let timer: ReturnType<typeof setTimeout> | null = null;
      return {
        update(view) {
          if (timer || (commentMovesKey.getState(view.state) ?? []).length === 0) return;
          // After this update y-tiptap has written the move into the Y.Doc: anchors resolve and encode there.
          timer = setTimeout(() => {
            timer = null;
            if (view.isDestroyed) return;
            const expected = commentMovesKey.getState(view.state) ?? [];
            if (expected.length === 0) return;
            view.dispatch(view.state.tr.setMeta(commentMovesKey, CLEAR).setMeta("addToHistory", false));
            options.onMoved(expected);
          }, 0);
        },
        destroy() {
          if (timer) clearTimeout(timer);
        },
      };
    },
  });
}

/** What the comments panel plugs into `CommentMoves` once it knows the threads and the user's role. */
export interface CommentMovesHandler {
  currentRanges: () => Map<string, ResolvedRange>;
  onMoved: (expected: CarriedThread[]) => void;
}

/**
 * The plugin as part of the editor from the start. Registering a plugin later reconfigures the
 * editor state, which makes y-tiptap re-render the whole document from the Y.Doc and resets the
 * selection under someone's typing; the panel sets `editor.storage.commentMoves.handler` instead.
 * Without a handler, moves carry nothing.
 */
export const CommentMoves = Extension.create<Record<string, never>, { handler: CommentMovesHandler | null }>({
  name: "commentMoves",

  addStorage() {
    return { handler: null };
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    return [
      commentMovesPlugin({
        currentRanges: () => storage.handler?.currentRanges() ?? new Map(),
        onMoved: (expected) => storage.handler?.onMoved(expected),
      }),
    ];
  },
});
