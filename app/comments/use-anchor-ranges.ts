import type { Editor } from "@tiptap/core";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { decodeAnchor, encodeAnchor, resolveAnchor, type EncodedAnchor, type ResolvedRange, type YMapping } from "./anchor";
import type { ThreadView } from "./types";

interface Binding {
  type: Y.XmlFragment;
  mapping: YMapping;
}

/** y-tiptap's binding between the editor and its Y.Doc fragment (null before the editor syncs). */
function bindingOf(editor: Editor): Binding | null {
  if (editor.isDestroyed) return null;
  const state = ySyncPluginKey.getState(editor.state) as { binding?: Binding } | undefined;
  return state?.binding?.type && state.binding.mapping ? state.binding : null;
}

/** Relative positions for the editor's current selection, or null when nothing is selected. */
export function anchorForSelection(editor: Editor): { anchor: EncodedAnchor; from: number; to: number; text: string } | null {
  const { from, to, empty } = editor.state.selection;
  const binding = bindingOf(editor);
  if (empty || !binding) return null;
  const text = editor.state.doc.textBetween(from, to, "\n", " ");
  if (!text.trim()) return null;
  return { anchor: encodeAnchor(binding.type, binding.mapping, from, to), from, to, text };
}

/** Each thread's range in the editor's document now (null = detached), resolved from the Y.Doc. */
export function resolveThreadRanges(editor: Editor, threads: ThreadView[]): Map<string, ResolvedRange> | null {
  const binding = bindingOf(editor);
  if (!binding) return null;
  const ranges = new Map<string, ResolvedRange>();
  for (const t of threads) {
    const anchor = decodeAnchor({ start: t.anchorStart, end: t.anchorEnd });
    ranges.set(t.id, anchor ? resolveAnchor(binding.type, binding.mapping, anchor) : null);
  }
  return ranges;
}

/** Relative positions for a range of the editor's document, or null before the editor syncs. */
export function anchorForRange(editor: Editor, from: number, to: number): EncodedAnchor | null {
  const binding = bindingOf(editor);
  return binding ? encodeAnchor(binding.type, binding.mapping, from, to) : null;
}

/**
 * Each thread's current range in the editor (null = detached), recomputed from the Y.Doc after
 * every change, local or remote. Resolution waits a frame so y-tiptap has applied the change to
 * both sides of its mapping.
 */
export function useAnchorRanges(editor: Editor | null, threads: ThreadView[]): Map<string, ResolvedRange> {
  const [ranges, setRanges] = useState<Map<string, ResolvedRange>>(() => new Map());

  useEffect(() => {
    if (!editor) return;
    let frame = 0;
    const compute = () => {
      frame = 0;
      const next = resolveThreadRanges(editor, threads);
      if (next) setRanges((prev) => (sameRanges(prev, next) ? prev : next));
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
  }, [editor, threads]);

  return ranges;
}

function sameRanges(a: Map<string, ResolvedRange>, b: Map<string, ResolvedRange>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, r] of b) {
    if (!a.has(id)) return false;
    const o = a.get(id);
    if (o === null || r === null ? o !== r : o!.from !== r.from || o!.to !== r.to) return false;
  }
  return true;
}
