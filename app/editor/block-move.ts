import type { Node as PMNode } from "@tiptap/pm/model";
import { NodeSelection, type EditorState, type Transaction } from "@tiptap/pm/state";

/**
 * Moving blocks. Yjs has no move operation: a moved block is deleted and inserted again, so
 * anything that points into it by Yjs identity (comment anchors) loses it. A move therefore says
 * what it moved in the transaction's `BLOCK_MOVE_META`, and the comments plugin
 * (app/comments/comment-moves.ts) carries the threads along, app/suggestions/suggestion-moves.ts
 * the suggestions.
 */

export const BLOCK_MOVE_META = "blockMove";

/** The old range [from, to) now starts at `newFrom` in the transaction's document, unchanged. */
export interface BlockMove {
  from: number;
  to: number;
  newFrom: number;
}

/** Position and node of each top-level agenda topic, in document order. */
function topLevelTopics(doc: PMNode): { pos: number; node: PMNode }[] {
  const topics: { pos: number; node: PMNode }[] = [];
  doc.forEach((node, offset) => {
    if (node.type.name === "agendaTopic") topics.push({ pos: offset, node });
  });
  return topics;
}

/** Whether the agenda topic at `pos` has a topic before (up) or after (down) it to swap places with. */
export function canMoveAgendaTopic(doc: PMNode, pos: number, direction: "up" | "down"): boolean {
  const topics = topLevelTopics(doc);
  const i = topics.findIndex((t) => t.pos === pos);
  return i >= 0 && (direction === "up" ? i > 0 : i < topics.length - 1);
}

/**
 * The part of the document a move rewrites: the topic and the one it swaps places with, and what
 * lies between them (y-tiptap may recreate any of it in Yjs). Null when the topic cannot move.
 */
export function agendaMoveSpan(doc: PMNode, pos: number, direction: "up" | "down"): { from: number; to: number } | null {
  const topics = topLevelTopics(doc);
  const i = topics.findIndex((t) => t.pos === pos);
  const other = topics[direction === "up" ? i - 1 : i + 1];
  if (i < 0 || !other) return null;
  const first = direction === "up" ? other : topics[i];
  const last = direction === "up" ? topics[i] : other;
  return { from: first.pos, to: last.pos + last.node.nodeSize };
}

/**
 * The transaction that moves the agenda topic at `pos` before the previous topic (up) or after
 * the next one (down), selects it at its new place and records the move; null when it cannot move.
 */
export function moveAgendaTopic(state: EditorState, pos: number, direction: "up" | "down"): Transaction | null {
  const topics = topLevelTopics(state.doc);
  const i = topics.findIndex((t) => t.pos === pos);
  const other = topics[direction === "up" ? i - 1 : i + 1];
  if (i < 0 || !other) return null;
  const { node } = topics[i];
  const size = node.nodeSize;
  const tr = state.tr;
  let newFrom: number;
  if (direction === "up") {
    tr.delete(pos, pos + size).insert(other.pos, node);
    newFrom = other.pos;
  } else {
    const after = other.pos + other.node.nodeSize;
    tr.insert(after, node).delete(pos, pos + size);
    newFrom = after - size;
  }
  tr.setSelection(NodeSelection.create(tr.doc, newFrom));
  const move: BlockMove = { from: pos, to: pos + size, newFrom };
  return tr.setMeta(BLOCK_MOVE_META, move).scrollIntoView();
}

/**
 * What a transaction moved: our move commands say so; a drag-and-drop move is recognised by
 * ProseMirror's "drop" event with the dragged selection (before) landing, unchanged, as the new
 * selection (after). A drop that changed the content's shape on the way is not a move we follow.
 */
export function movedRange(tr: Transaction, before: EditorState): BlockMove | null {
  const meta = tr.getMeta(BLOCK_MOVE_META) as BlockMove | undefined;
  if (meta) return meta;
  if (tr.getMeta("uiEvent") !== "drop" || !tr.docChanged) return null;
  const { from, to } = before.selection;
  const after = tr.selection;
  if (from === to || after.to - after.from !== to - from) return null;
  if (!before.doc.slice(from, to).content.eq(tr.doc.slice(after.from, after.to).content)) return null;
  return { from, to, newFrom: after.from };
}
