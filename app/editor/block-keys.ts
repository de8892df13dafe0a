import { Extension, type Editor } from "@tiptap/core";
import { TextSelection } from "@tiptap/pm/state";

/** The quote the caret is in (collapsed selection), with its position; null elsewhere. */
function quoteAtCaret(editor: Editor) {
  const { selection } = editor.state;
  if (!selection.empty) return null;
  const { $from } = selection;
  if ($from.parent.type.name !== "quote") return null;
  return { $from, before: $from.before(), after: $from.after(), node: $from.parent };
}

/** Enter leaves a quote into a new paragraph below (or the empty one already there). */
function newParagraphAt(editor: Editor, pos: number): boolean {
  const { state } = editor;
  const next = state.doc.resolve(pos).nodeAfter;
  if (next?.type.name === "paragraph" && next.content.size === 0) {
    editor.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, pos + 1)).scrollIntoView());
    return true;
  }
  const tr = state.tr.insert(pos, state.schema.nodes.paragraph.create());
  editor.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, pos + 1)).scrollIntoView());
  return true;
}

/** Moves the caret into the text block next to `pos` (`dir` 1 = after it), creating a paragraph when there is none. */
function leaveTo(editor: Editor, pos: number, dir: 1 | -1): boolean {
  const { state } = editor;
  const $pos = state.doc.resolve(pos);
  const neighbour = dir === 1 ? $pos.nodeAfter : $pos.nodeBefore;
  if (neighbour?.isTextblock) {
    const target = dir === 1 ? pos + 1 : pos - 1;
    editor.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, target)).scrollIntoView());
    return true;
  }
  if (neighbour) {
    // Another block (a fact card, a topic): let ProseMirror's own arrow handling step into it.
    const found = TextSelection.findFrom(state.doc.resolve(pos), dir, true);
    if (!found) return false;
    editor.view.dispatch(state.tr.setSelection(found).scrollIntoView());
    return true;
  }
  const tr = state.tr.insert(pos, state.schema.nodes.paragraph.create());
  editor.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, pos + 1)).scrollIntoView());
  return true;
}

/**
 * Leaving a quote by keyboard, as in Notion: Enter starts a new line of the quote, and Enter on
 * that empty last line (or in an empty quote) drops it and opens a paragraph below; ArrowDown at
 * the end and ArrowUp at the start step out. The quote is isolating, so without this the caret stays trapped in it.
 */
export const BlockKeys = Extension.create({
  name: "blockKeys",
  // Before the core keymap, whose Enter would try (and fail) to split the isolating quote.
  priority: 1000,
  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const q = quoteAtCaret(editor);
        if (!q) return false;
        const atEnd = q.$from.parentOffset === q.node.content.size;
        const last = q.node.lastChild;
        if (atEnd && q.node.content.size === 0) return newParagraphAt(editor, q.after);
        if (atEnd && last?.type.name === "hardBreak") {
          // Enter on the empty last line: the line break goes, the caret leaves the quote.
          const at = q.$from.pos - last.nodeSize;
          editor.view.dispatch(editor.state.tr.delete(at, q.$from.pos));
          return newParagraphAt(editor, editor.state.doc.resolve(at).after());
        }
        // Inside the words, Enter starts a new line of the same quote (setHardBreak refuses in
        // isolating nodes, so insert the break directly).
        const br = editor.schema.nodes.hardBreak;
        if (!br) return false;
        editor.view.dispatch(editor.state.tr.replaceSelectionWith(br.create()).scrollIntoView());
        return true;
      },
      ArrowDown: ({ editor }) => {
        const q = quoteAtCaret(editor);
        if (!q || q.$from.parentOffset !== q.node.content.size) return false;
        return leaveTo(editor, q.after, 1);
      },
      ArrowUp: ({ editor }) => {
        const q = quoteAtCaret(editor);
        if (!q || q.$from.parentOffset !== 0) return false;
        return leaveTo(editor, q.before, -1);
      },
    };
  },
});
