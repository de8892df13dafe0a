import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";

/**
 * "Suggesting" mode for editors and owners: what they type or delete does not change the document
 * but becomes suggestions, created through the same HTTP route as a commenter's. Typed text is
 * gathered at the caret (shown as a pending insertion) and sent as one insertion once typing
 * pauses, the caret moves or Enter is pressed; typing over a selection is gathered the same way
 * (the selection stays, struck through) and sent as one replacement of it;
 * Backspace / Delete suggest deleting the selection or the character beside the caret. Everything
 * else that would change the text (Enter, paste of several lines, drops) is ignored while on.
 */

export interface SuggestedChange {
  /** ProseMirror range to replace; from === to for an insertion. */
  from: number;
  to: number;
  text: string;
}

interface ModeState {
  enabled: boolean;
  /** Text typed and not yet sent: inserted at `pos`, or replacing `pos`…`to` when `to` > `pos`. */
  pending: { pos: number; to: number; text: string } | null;
}

export const suggestingModeKey = new PluginKey<ModeState>("suggestingMode");

const FLUSH_AFTER_MS = 900;

export interface SuggestingModeStorage {
  /** Called with each suggested change (set by the comments panel, which posts them). */
  onSuggest: ((change: SuggestedChange) => void) | null;
}

type Meta = { enabled?: boolean; pending?: ModeState["pending"] };

function setMeta(view: EditorView, meta: Meta): void {
  view.dispatch(view.state.tr.setMeta(suggestingModeKey, meta).setMeta("addToHistory", false));
}

export function isSuggesting(state: EditorState): boolean {
  return suggestingModeKey.getState(state)?.enabled ?? false;
}

export function setSuggesting(view: EditorView, enabled: boolean): void {
  setMeta(view, { enabled, pending: null });
}

export const SuggestingMode = Extension.create<unknown, SuggestingModeStorage>({
  name: "suggestingMode",

  addStorage() {
    return { onSuggest: null };
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const emit = (change: SuggestedChange) => storage.onSuggest?.(change);
    const flush = (view: EditorView) => {
      if (timer) clearTimeout(timer);
      timer = null;
      const pending = suggestingModeKey.getState(view.state)?.pending;
      if (!pending) return;
      setMeta(view, { pending: null });
      if (pending.text) emit({ from: pending.pos, to: pending.to, text: pending.text });
    };
    const schedule = (view: EditorView) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => flush(view), FLUSH_AFTER_MS);
    };
    const textblockRange = (state: EditorState, from: number, to: number) => state.doc.resolve(from).sameParent(state.doc.resolve(to));
    // A selection may run from one paragraph or heading into a later one (docs/decisions/0506), as in
    // the Suggest edit box: the server refuses what it cannot apply (a quote, topic or fact between)
    // and the panel shows its message, instead of the typing being dropped without a word.
    const textRange = (state: EditorState, from: number, to: number) => state.doc.resolve(from).parent.isTextblock && state.doc.resolve(to).parent.isTextblock;

    return [
      new Plugin<ModeState>({
        key: suggestingModeKey,
        state: {
          init: () => ({ enabled: false, pending: null }),
          apply(tr, value) {
            const meta = tr.getMeta(suggestingModeKey) as Meta | undefined;
            let next = meta ? { ...value, ...meta } : value;
            if (tr.docChanged && next.pending) {
              // Others' typing at the edges of a replaced range stays outside it.
              const p = next.pending;
              const pos = tr.mapping.map(p.pos, p.to > p.pos ? 1 : -1);
              next = { ...next, pending: { ...p, pos, to: p.to > p.pos ? Math.max(pos, tr.mapping.map(p.to, -1)) : pos } };
            }
            return next;
          },
        },
        view: () => ({
          update(view, prev) {
            const state = suggestingModeKey.getState(view.state);
            // The caret left the place where text was being gathered: send what was typed.
            if (state?.pending && !view.state.selection.eq(prev.selection) && view.state.selection.from !== state.pending.pos) flush(view);
          },
          destroy() {
            if (timer) clearTimeout(timer);
          },
        }),
        props: {
          decorations(state) {
            const pending = suggestingModeKey.getState(state)?.pending;
            if (!pending?.text) return null;
            const widget = () => {
              const el = document.createElement("ins");
              el.className = "suggestion-insert is-pending";
              el.textContent = pending.text;
              return el;
            };
            const marks = [Decoration.widget(pending.to, widget, { side: 1, key: `pending:${pending.text}` })];
            if (pending.to > pending.pos) marks.push(Decoration.inline(pending.pos, pending.to, { class: "suggestion-delete is-pending" }));
            return DecorationSet.create(state.doc, marks);
          },
          handleTextInput(view, from, to, text) {
            const state = suggestingModeKey.getState(view.state);
            if (!state?.enabled) return false;
            // The selection stays while typing over it, so each key comes with the same range:
            // gathered into one replacement instead of one suggestion per character.
            const pending = state.pending && state.pending.pos === from && state.pending.to === Math.max(from, to) ? state.pending : null;
            if (state.pending && !pending) flush(view);
            if (from < to && !textRange(view.state, from, to)) return true;
            setMeta(view, { pending: { pos: from, to: Math.max(from, to), text: (pending?.text ?? "") + text } });
            schedule(view);
            return true;
          },
          handleKeyDown(view, event) {
            const state = suggestingModeKey.getState(view.state);
            if (!state?.enabled) return false;
            const { from, to, empty } = view.state.selection;
            if (event.key === "Enter") {
              flush(view);
              return true;
            }
            if (event.key !== "Backspace" && event.key !== "Delete") return false;
            if (state.pending?.text) {
              const text = state.pending.text.slice(0, -1);
              setMeta(view, { pending: text ? { ...state.pending, text } : null });
              return true;
            }
            if (!empty) {
              if (textRange(view.state, from, to)) emit({ from, to, text: "" });
              return true;
            }
            const [a, b] = event.key === "Backspace" ? [from - 1, from] : [from, from + 1];
            if (a >= 0 && b <= view.state.doc.content.size && textblockRange(view.state, a, b) && view.state.doc.resolve(a).parent.isTextblock) emit({ from: a, to: b, text: "" });
            return true;
          },
          handlePaste(view, event) {
            const state = suggestingModeKey.getState(view.state);
            if (!state?.enabled) return false;
            const text = (event.clipboardData?.getData("text/plain") ?? "").replace(/\s+/g, " ");
            const { from, to } = view.state.selection;
            flush(view);
            if (text.trim() && textRange(view.state, from, to)) emit({ from, to, text });
            return true;
          },
          handleDrop() {
            return false;
          },
        },
        filterTransaction(tr, state) {
          // Cut, drag-and-drop and other edits from the view are refused while suggesting;
          // y-tiptap's own transactions (remote changes) always pass.
          if (!isSuggesting(state) || !tr.docChanged) return true;
          return tr.getMeta("y-sync$") !== undefined || tr.getMeta("addToHistory") === false || tr.getMeta("uiEvent") === undefined;
        },
      }),
    ];
  },
});
