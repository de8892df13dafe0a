import { Extension } from "@tiptap/core";
import { isChangeOrigin } from "@tiptap/extension-collaboration";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";

export interface SlashState {
  active: boolean;
  /** Position of the "/" and of the end of the query (the range a chosen command replaces). */
  from: number;
  to: number;
  query: string;
  /** A "/" the user dismissed with Escape; the menu stays closed while it is still there. */
  dismissedFrom: number | null;
}

const INACTIVE: SlashState = { active: false, from: 0, to: 0, query: "", dismissedFrom: null };

export const slashMenuKey = new PluginKey<SlashState>("slashMenu");

/** A "/" at the start of a paragraph or after a space, then up to 24 non-space characters. */
const TRIGGER = /(?:^|\s)\/([^\s/]{0,24})$/;

function match(state: EditorState): Pick<SlashState, "from" | "to" | "query"> | null {
  const { selection } = state;
  if (!selection.empty) return null;
  const $from = selection.$from;
  if ($from.parent.type.name !== "paragraph") return null;
  const before = $from.parent.textBetween(0, $from.parentOffset, undefined, "\ufffc");
  const m = TRIGGER.exec(before);
  if (!m) return null;
  return { from: $from.pos - m[1].length - 1, to: $from.pos, query: m[1] };
}

function next(tr: Transaction, prev: SlashState, state: EditorState, editable: boolean): SlashState {
  const meta = tr.getMeta(slashMenuKey) as { dismiss?: boolean } | undefined;
  const dismissedFrom = prev.dismissedFrom === null ? null : tr.mapping.map(prev.dismissedFrom);
  if (meta?.dismiss) return { ...INACTIVE, dismissedFrom: prev.active ? prev.from : dismissedFrom };
  if (!editable) return INACTIVE;
  const m = match(state);
  if (!m) return INACTIVE;
  if (m.from === dismissedFrom) return { ...INACTIVE, dismissedFrom };
  // Only the user's own typing opens the menu; a collaborator's edit near the caret does not.
  if (!prev.active && !(tr.docChanged && !isChangeOrigin(tr))) return { ...INACTIVE, dismissedFrom };
  return { active: true, ...m, dismissedFrom: null };
}

export interface SlashMenuStorage {
  /** Set by the menu component while it is shown: handles arrows, Enter and Escape. */
  onKeyDown: ((event: KeyboardEvent) => boolean) | null;
}

/** Tracks the "/query" being typed; the React menu (slash-menu.tsx) renders and runs commands. */
export const SlashMenu = Extension.create<Record<string, never>, SlashMenuStorage>({
  name: "slashMenu",
  addStorage() {
    return { onKeyDown: null };
  },
  addProseMirrorPlugins() {
    const editor = this.editor;
    const storage = this.storage;
    return [
      new Plugin<SlashState>({
        key: slashMenuKey,
        state: {
          init: () => INACTIVE,
          apply: (tr, prev, _old, state) => next(tr, prev, state, editor.isEditable),
        },
        props: {
          handleKeyDown(view, event) {
            if (!slashMenuKey.getState(view.state)?.active) return false;
            return storage.onKeyDown?.(event) ?? false;
          },
        },
      }),
    ];
  },
});

declare module "@tiptap/core" {
  interface Storage {
    slashMenu: SlashMenuStorage;
  }
}
