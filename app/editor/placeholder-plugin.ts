import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

/**
 * A hint in the empty text block that holds the caret, drawn with CSS from `data-placeholder`,
 * so nothing is ever written into the document. (Empty quotes show their own hint.)
 */
export const Placeholders = Extension.create<{ text: Record<string, string> }>({
  name: "briefingPlaceholders",
  addOptions() {
    return { text: {} };
  },
  addProseMirrorPlugins() {
    const { text } = this.options;
    const editor = this.editor;
    return [
      new Plugin({
        key: new PluginKey("briefingPlaceholders"),
        props: {
          decorations(state) {
            const { $anchor, empty } = state.selection;
            const node = $anchor.parent;
            const hint = text[node.type.name];
            if (!editor.isEditable || !empty || !hint || !node.isTextblock || node.content.size > 0 || $anchor.depth === 0) return null;
            const pos = $anchor.before();
            return DecorationSet.create(state.doc, [Decoration.node(pos, pos + node.nodeSize, { class: "is-empty", "data-placeholder": hint })]);
          },
        },
      }),
    ];
  },
});
