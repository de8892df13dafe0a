import { Extension } from "@tiptap/core";
import { Fragment, Slice } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";

/**
 * Copying some of a quote's words copies those words, not the quote: ProseMirror's slice keeps the
 * open quote around them, and pasting it made a new quote (with the speaker and source of the old
 * one) or, where a quote cannot go, an empty one. A whole quote (selected as a block, or a
 * selection that spans beyond it) still copies as a quote with its attribution.
 */
export const QuoteClipboard = Extension.create({
  name: "quoteClipboard",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("quoteClipboard"),
        props: {
          transformCopied: (slice, view) => {
            const only = slice.content.childCount === 1 ? slice.content.firstChild : null;
            if (!only || only.type.name !== "quote" || slice.openStart < 1 || slice.openEnd < 1) return slice;
            const paragraph = view.state.schema.nodes.paragraph.create(null, only.content);
            return new Slice(Fragment.from(paragraph), 1, 1);
          },
        },
      }),
    ];
  },
});
