import { Extension } from "@tiptap/core";
import { isChangeOrigin } from "@tiptap/extension-collaboration";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { blockIdPluginKey } from "../../extensions";

/**
 * An empty paragraph after a document that ends in a heading, quote, topic or fact, so there is
 * always somewhere to type below it; StarterKit's trailing node does the same but also on the
 * first render of the synced document, so merely opening a briefing wrote a paragraph to the
 * server and made the reader an author of a version. This one adds it only with a change the
 * person makes here (typing, pasting, a command) in the last block, never for what arrives from
 * the Y.Doc or for the block-id repairs that follow it.
 */
export const TrailingParagraph = Extension.create({
  name: "trailingParagraph",

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("trailingParagraph"),
        appendTransaction: (transactions, _oldState, state) => {
          const local = transactions.some((tr) => tr.docChanged && !isChangeOrigin(tr) && !tr.getMeta(blockIdPluginKey));
          if (!local) return null;
          const last = state.doc.lastChild;
          if (!last || last.type.name === "paragraph") return null;
          // Only where it is wanted: the person is working in the last block. Anywhere else it would be
          // an edit nobody made (and two people typing at once would each add one).
          if (state.selection.$from.index(0) < state.doc.childCount - 1) return null;
          return state.tr.insert(state.doc.content.size, state.schema.nodes.paragraph.create()).setMeta("addToHistory", false);
        },
      }),
    ];
  },
});
