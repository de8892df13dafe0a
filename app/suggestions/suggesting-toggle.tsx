import type { Editor } from "@tiptap/core";
import { useEffect, useState } from "react";
import { isSuggesting, setSuggesting } from "./suggesting-mode";

/** Editing / Suggesting switch of the toolbar: in Suggesting mode typing and deleting become suggestions. */
export function SuggestingToggle({ editor }: { editor: Editor }) {
  const [on, setOn] = useState(() => isSuggesting(editor.state));
  useEffect(() => {
    const sync = () => setOn(isSuggesting(editor.state));
    editor.on("transaction", sync);
    return () => {
      editor.off("transaction", sync);
    };
  }, [editor]);
  return (
    <button
      type="button"
      className={`button small suggesting-toggle${on ? " is-on" : ""}`}
      aria-pressed={on}
      title={on ? "Suggesting: what you type and delete becomes suggestions. Click to edit directly." : "Switch to Suggesting: what you type and delete becomes suggestions"}
      onClick={() => {
        setSuggesting(editor.view, !on);
        editor.commands.focus();
      }}
    >
      {on ? "Suggesting" : "Editing"}
    </button>
  );
}
