import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { expectedRanges } from "../comments/comment-moves";
import { movedRange, type BlockMove } from "../editor/block-move";

/**
 * Keeps open suggestions on their text when an editor moves blocks, as `CommentMoves` does for
 * threads (docs/decisions/0502): y-tiptap writes a move as deletes and inserts, so a suggestion
 * anchored in a recreated block (its text by relative positions, a topic title by the topic's
 * element) loses its place. At the move this plugin records where each one's place is expected
 * afterwards, maps it through later transactions, and once y-tiptap has written the move into the
 * Y.Doc hands the places to `onMoved`, which re-anchors those that did not come through
 * (POST intent=reanchor, editors and owners only). A topic title's place is the whole topic node.
 */

export interface CarriedSuggestion {
  id: string;
  from: number;
  to: number;
}

/** A place in the document before the move: a range, or a caret (from = to) for an insertion. */
export type SuggestionRange = { from: number; to: number };

export const suggestionMovesKey = new PluginKey<CarriedSuggestion[]>("suggestionMoves");

const CLEAR = "clear";

/**
 * Where each suggestion's place is after the move. Ranges go as thread ranges do; a caret (an
 * insertion, which has no text of its own) inside the moved block goes to the same offset at its
 * new place, elsewhere it is mapped, sticking to the character before it as its anchor does.
 * Places the transaction deleted are left out.
 */
export function expectedPlaces(tr: Transaction, move: BlockMove, places: Map<string, SuggestionRange>): CarriedSuggestion[] {
  const ranges = new Map([...places].filter(([, r]) => r.to > r.from));
  const carried: CarriedSuggestion[] = expectedRanges(tr, move, ranges).map((c) => ({ id: c.threadId, from: c.from, to: c.to }));
  for (const [id, r] of places) {
    if (r.to > r.from) continue;
    const mapped = tr.mapping.mapResult(r.from, -1);
    if (!mapped.deleted) carried.push({ id, from: mapped.pos, to: mapped.pos });
    else if (r.from > move.from && r.from < move.to) carried.push({ id, from: move.newFrom + (r.from - move.from), to: move.newFrom + (r.from - move.from) });
  }
  return carried;
}

function mapCarried(tr: Transaction, carried: CarriedSuggestion[]): CarriedSuggestion[] {
  const out: CarriedSuggestion[] = [];
  for (const c of carried) {
    if (c.from === c.to) {
      const m = tr.mapping.mapResult(c.from, -1);
      if (!m.deleted) out.push({ ...c, from: m.pos, to: m.pos });
      continue;
    }
    const from = tr.mapping.map(c.from, 1);
    const to = tr.mapping.map(c.to, -1);
    if (to > from) out.push({ ...c, from, to });
  }
  return out;
}

export function suggestionMovesPlugin(options: {
  /** Every open suggestion's place in the document as it is before the transaction (resolved from Yjs). */
  currentPlaces: () => Map<string, SuggestionRange>;
  /** Every suggestion's place after the move, in the current document, once the Y.Doc has it too. */
  onMoved: (expected: CarriedSuggestion[]) => void;
}): Plugin<CarriedSuggestion[]> {
  return new Plugin<CarriedSuggestion[]>({
    key: suggestionMovesKey,
    state: {
      init: () => [],
      apply(tr, pending, before) {
        if (tr.getMeta(suggestionMovesKey) === CLEAR) return [];
        if (!tr.docChanged) return pending;
        const move = movedRange(tr, before);
        if (move) {
          // Until the previous move has reached the Y.Doc, what it expected is the truth.
          const places = pending.length > 0 ? new Map(pending.map((c) => [c.id, { from: c.from, to: c.to }])) : options.currentPlaces();
          return expectedPlaces(tr, move, places);
        }
        return mapCarried(tr, pending);
      },
    },
    view() {
      let timer: ReturnType<typeof setTimeout> | null = null;
      return {
        update(view) {
          if (timer || (suggestionMovesKey.getState(view.state) ?? []).length === 0) return;
          // After this update y-tiptap has written the move into the Y.Doc: anchors resolve and encode there.
          timer = setTimeout(() => {
            timer = null;
            if (view.isDestroyed) return;
            const expected = suggestionMovesKey.getState(view.state) ?? [];
            if (expected.length === 0) return;
            view.dispatch(view.state.tr.setMeta(suggestionMovesKey, CLEAR).setMeta("addToHistory", false));
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

/** What the suggestions layer plugs into `SuggestionMoves` once it knows the suggestions and the user's role. */
export interface SuggestionMovesHandler {
  currentPlaces: () => Map<string, SuggestionRange>;
  onMoved: (expected: CarriedSuggestion[]) => void;
}

/**
 * The plugin as part of the editor from the start (registering it later would reconfigure the
 * state and make y-tiptap re-render the document, see `CommentMoves`); the suggestions layer sets
 * `editor.storage.suggestionMoves.handler`. Without a handler, moves carry nothing.
 */
export const SuggestionMoves = Extension.create<Record<string, never>, { handler: SuggestionMovesHandler | null }>({
  name: "suggestionMoves",

  addStorage() {
    return { handler: null };
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    return [
      suggestionMovesPlugin({
        currentPlaces: () => storage.handler?.currentPlaces() ?? new Map(),
        onMoved: (expected) => storage.handler?.onMoved(expected),
      }),
    ];
  },
});
