import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

/**
 * Shows open suggestions inline with decorations, never marks, so nobody needs write access to
 * see them: proposed deletions struck through, proposed insertions as a widget in the suggester's
 * colour, each with who and when in its tooltip. The ranges come from the comments panel (resolved
 * from the suggestions' Yjs relative positions); between two updates they follow local edits.
 * Clicking a suggestion dispatches `suggestion-activate` (detail `{ id }`) on the editor element.
 */

export interface SuggestionMark {
  id: string;
  kind: "text" | "topicTitle";
  from: number;
  /** Equal to `from` for an insertion; for a topic title, the end of the topic node. */
  to: number;
  replacement: string;
  color: string;
  label: string;
  outdated: boolean;
  active: boolean;
}

interface PluginState {
  marks: SuggestionMark[];
  decorations: DecorationSet;
}

export const suggestionMarksKey = new PluginKey<PluginState>("suggestionMarks");
export const SUGGESTION_ACTIVATE_EVENT = "suggestion-activate";

function insertion(mark: SuggestionMark): HTMLElement {
  const el = document.createElement("ins");
  el.className = `suggestion-insert${mark.active ? " is-active" : ""}${mark.outdated ? " is-outdated" : ""}`;
  el.textContent = mark.replacement;
  el.style.color = mark.color;
  el.style.textDecorationColor = mark.color;
  el.title = mark.label;
  el.dataset.suggestionId = mark.id;
  el.contentEditable = "false";
  el.addEventListener("mousedown", (e) => {
    e.preventDefault();
    el.dispatchEvent(new CustomEvent(SUGGESTION_ACTIVATE_EVENT, { detail: { id: mark.id }, bubbles: true }));
  });
  return el;
}

function build(state: EditorState, marks: SuggestionMark[]): DecorationSet {
  const size = state.doc.content.size;
  const decorations: Decoration[] = [];
  for (const m of marks) {
    if (m.from < 0 || m.to > size || m.to < m.from) continue;
    const attrs = { "data-suggestion-id": m.id, title: m.label };
    if (m.kind === "topicTitle") {
      decorations.push(Decoration.node(m.from, m.to, { ...attrs, class: "has-title-suggestion", "data-suggested-title": m.replacement }));
      continue;
    }
    if (m.to > m.from) {
      decorations.push(Decoration.inline(m.from, m.to, { ...attrs, class: `suggestion-delete${m.active ? " is-active" : ""}${m.outdated ? " is-outdated" : ""}`, style: `text-decoration-color: ${m.color}` }, { id: m.id }));
    }
    if (m.replacement) decorations.push(Decoration.widget(m.to, () => insertion(m), { side: 1, key: `${m.id}:${m.replacement}:${m.active}:${m.outdated}`, ignoreSelection: true }));
  }
  return DecorationSet.create(state.doc, decorations);
}

export const SuggestionMarks = Extension.create({
  name: "suggestionMarks",

  addProseMirrorPlugins() {
    return [
      new Plugin<PluginState>({
        key: suggestionMarksKey,
        state: {
          init: () => ({ marks: [], decorations: DecorationSet.empty }),
          apply(tr, value, _old, newState) {
            const meta = tr.getMeta(suggestionMarksKey) as SuggestionMark[] | undefined;
            if (meta) return { marks: meta, decorations: build(newState, meta) };
            if (!tr.docChanged) return value;
            const marks = value.marks.map((m) => ({ ...m, from: tr.mapping.map(m.from, 1), to: tr.mapping.map(m.to, -1) }));
            return { marks, decorations: value.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: {
          decorations: (state) => suggestionMarksKey.getState(state)?.decorations,
          handleClick(view, pos) {
            const hit = suggestionMarksKey.getState(view.state)?.marks.find((m) => m.kind === "text" && pos >= m.from && pos <= m.to);
            if (hit) view.dom.dispatchEvent(new CustomEvent(SUGGESTION_ACTIVATE_EVENT, { detail: { id: hit.id }, bubbles: true }));
            return false;
          },
        },
      }),
    ];
  },
});
