import type { Editor } from "@tiptap/core";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useState } from "react";
import type * as Y from "yjs";
import type { YMapping } from "../comments/anchor";

/**
 * What comment threads and suggested edits share in the editor: both keep ranges of the body as
 * Yjs relative positions outside the document (docs/decisions/0501, 0504) and must find them again
 * after every change, local or remote.
 */

/** y-tiptap's binding between the editor and its Y.Doc fragment. */
export interface Binding {
  type: Y.XmlFragment;
  mapping: YMapping;
}

/** The editor's binding, or null before the editor syncs (or once it is destroyed). */
export function bindingOf(editor: Editor): Binding | null {
  if (editor.isDestroyed) return null;
  const state = ySyncPluginKey.getState(editor.state) as { binding?: Binding } | undefined;
  return state?.binding?.type && state.binding.mapping ? state.binding : null;
}

/**
 * Each item's place in the editor, from `resolve` (null: keep the last result), recomputed after
 * every change of the document. Resolution waits a frame so y-tiptap has applied the change to
 * both sides of its mapping; `same` keeps the previous map when nothing moved, so nothing re-renders.
 */
export function useTrackedRanges<I, P>(
  editor: Editor | null,
  items: I[],
  resolve: (editor: Editor, items: I[]) => Map<string, P> | null,
  same: (a: Map<string, P>, b: Map<string, P>) => boolean,
): Map<string, P> {
  const [places, setPlaces] = useState<Map<string, P>>(() => new Map());
  useEffect(() => {
    if (!editor) return;
    let frame = 0;
    const compute = () => {
      frame = 0;
      const next = resolve(editor, items);
      if (next) setPlaces((prev) => (same(prev, next) ? prev : next));
    };
    const schedule = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged && !frame) frame = requestAnimationFrame(compute);
    };
    compute();
    editor.on("transaction", schedule);
    return () => {
      editor.off("transaction", schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [editor, items, resolve, same]);
  return places;
}
