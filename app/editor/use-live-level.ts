import type { Editor } from "@tiptap/core";
import { useEffect, useRef } from "react";
import type { ClassificationLevel } from "../../extensions/portion-mark/levels";
import { liveLevel, setEditorLevels } from "./portion-marks";

/**
 * Hands the editor the team's levels and reports the brief's level whenever a change (local or
 * another user's) moves it, so the header follows the marks live.
 */
export function useLiveLevel(editor: Editor | null, levels: ClassificationLevel[], minimum: string, onChange?: (level: string) => void) {
  const report = useRef(onChange);
  report.current = onChange;
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setEditorLevels(editor, levels);
    let last = liveLevel(editor, minimum);
    report.current?.(last);
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (!transaction.docChanged) return;
      const now = liveLevel(editor, minimum);
      if (now !== last) report.current?.((last = now));
    };
    editor.on("transaction", onTransaction);
    return () => {
      editor.off("transaction", onTransaction);
    };
  }, [editor, levels, minimum]);
}
