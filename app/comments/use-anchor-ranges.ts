import type { Editor } from "@tiptap/core";
import { bindingOf, useTrackedRanges } from "../anchors/use-tracked-ranges";
import { decodeAnchor, encodeAnchor, resolveAnchor, type EncodedAnchor, type ResolvedRange } from "./anchor";
import type { ThreadView } from "./types";

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
  return useTrackedRanges(editor, threads, resolveThreadRanges, sameRanges);
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
