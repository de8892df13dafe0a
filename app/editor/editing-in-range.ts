import type { Editor } from "@tiptap/core";
import { relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";

/**
 * Who else has their caret in a range of the document, from awareness (the `cursor` field that
 * y-tiptap's caret plugin publishes as Yjs relative positions). Moving a block deletes and
 * re-inserts it in Yjs, so what someone types in it while the move travels is lost: the move
 * asks first when anyone is there.
 */
export function othersEditingIn(editor: Editor, awareness: Awareness, from: number, to: number): string[] {
  const sync = ySyncPluginKey.getState(editor.state) as { doc?: Y.Doc; type?: Y.XmlFragment; binding?: { mapping: Map<unknown, unknown> } } | undefined;
  if (!sync?.doc || !sync.type || !sync.binding) return [];
  const names = new Set<string>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const s = state as { cursor?: { head?: unknown } | null; user?: { name?: unknown } };
    if (!s.cursor?.head || typeof s.user?.name !== "string") continue;
    try {
      const head = Y.createRelativePositionFromJSON(s.cursor.head);
      const pos = relativePositionToAbsolutePosition(sync.doc, sync.type, head, sync.binding.mapping as never);
      if (pos !== null && pos > from && pos < to) names.add(s.user.name);
    } catch {
      /* a malformed cursor of someone else's: not our concern here */
    }
  }
  return [...names];
}
