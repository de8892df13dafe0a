import { useEditor } from "@tiptap/react";
import { useEffect, useRef } from "react";
import type { CollabSession } from "./collab-provider";
import { buildEditorExtensions } from "./editor-extensions";
import type { PasteGuardOptions } from "./paste-guard";

/**
 * The Tiptap editor for one collaboration session. Client-only (`immediatelyRender: false`), and
 * editable only while the caller says so: the server decides who may edit, the UI follows.
 */
export function useBriefingEditor(
  session: CollabSession,
  user: { name: string; color: string },
  editable: boolean,
  colorOf: (userId: string) => string | undefined = () => undefined,
  pasteGuard?: PasteGuardOptions,
) {
  // Read through a ref: the extensions are built once per session, the team list can change.
  const colors = useRef(colorOf);
  colors.current = colorOf;
  const guard = useRef(pasteGuard);
  guard.current = pasteGuard;
  const editor = useEditor(
    {
      immediatelyRender: false,
      shouldRerenderOnTransaction: false,
      editable,
      extensions: buildEditorExtensions(
        session,
        user,
        (id) => colors.current(id),
        guard.current && { maxBytes: guard.current.maxBytes, onRefused: (message) => guard.current?.onRefused(message) },
      ),
      editorProps: {
        attributes: { class: "briefing-body", "aria-label": "Briefing text", "aria-multiline": "true", role: "textbox", spellcheck: "true" },
      },
    },
    [session],
  );
  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);
  return editor;
}
