import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

/**
 * Highlights the text each comment thread is anchored to, with ProseMirror decorations: nothing
 * is written to the document, so commenters need no write access. The ranges come from the
 * comments panel (resolved from Yjs relative positions, app/comments/anchor.ts); between two
 * updates they are mapped through local edits. Clicking highlighted text dispatches a
 * `comment-thread-activate` DOM event (detail: `{ threadId }`) on the editor element.
 */

export interface HighlightRange {
  threadId: string;
  from: number;
  to: number;
  /** Resolved threads are drawn fainter (only when the panel shows them). */
  resolved?: boolean;
  /** The selection a new comment is being written for. */
  draft?: boolean;
}

export interface CommentHighlightsMeta {
  ranges: HighlightRange[];
  activeThreadId: string | null;
}

interface PluginState extends CommentHighlightsMeta {
  decorations: DecorationSet;
}

export const commentHighlightsKey = new PluginKey<PluginState>("commentHighlights");

export const THREAD_ACTIVATE_EVENT = "comment-thread-activate";

function build(state: EditorState, meta: CommentHighlightsMeta): DecorationSet {
  const size = state.doc.content.size;
  const decorations = meta.ranges
    .filter((r) => r.from < r.to && r.from >= 0 && r.to <= size)
    .map((r) => {
      const classes = ["comment-highlight"];
      if (r.resolved) classes.push("is-resolved");
      if (r.draft) classes.push("is-draft");
      if (r.threadId === meta.activeThreadId) classes.push("is-active");
      return Decoration.inline(r.from, r.to, { class: classes.join(" "), "data-thread-id": r.threadId }, { threadId: r.threadId });
    });
  return DecorationSet.create(state.doc, decorations);
}

/** The smallest highlighted range around `pos` (nested comments: the innermost wins). */
function threadAt(state: PluginState, pos: number): string | null {
  let best: HighlightRange | null = null;
  for (const r of state.ranges) {
    if (r.draft || pos < r.from || pos > r.to) continue;
    if (!best || r.to - r.from < best.to - best.from) best = r;
  }
  return best?.threadId ?? null;
}

export const CommentHighlights = Extension.create({
  name: "commentHighlights",

  addProseMirrorPlugins() {
    return [
      new Plugin<PluginState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({ ranges: [], activeThreadId: null, decorations: DecorationSet.empty }),
          apply(tr, value, _old, newState) {
            const meta = tr.getMeta(commentHighlightsKey) as CommentHighlightsMeta | undefined;
            if (meta) return { ...meta, decorations: build(newState, meta) };
            if (!tr.docChanged) return value;
            // Until the panel resolves the anchors again, follow local edits.
            const ranges = value.ranges
              .map((r) => ({ ...r, from: tr.mapping.map(r.from, 1), to: tr.mapping.map(r.to, -1) }))
              .filter((r) => r.from < r.to);
            return { ...value, ranges, decorations: value.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
          handleClick(view, pos) {
            const state = commentHighlightsKey.getState(view.state);
            const threadId = state ? threadAt(state, pos) : null;
            if (threadId) view.dom.dispatchEvent(new CustomEvent(THREAD_ACTIVATE_EVENT, { detail: { threadId }, bubbles: true }));
            return false; // keep ProseMirror's own click handling (caret placement)
          },
        },
      }),
    ];
  },
});
