import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { PORTION_MARK_ATTR, type ClassificationLevel } from "../../extensions/portion-mark/levels";
import { portionMarkTarget } from "./portion-marks";

/** The toolbar's portion mark of the block at the caret (also: "/" menu, Ctrl/⌘ + Alt + K). */
export function PortionMarkControl({ editor, levels }: { editor: Editor; levels: ClassificationLevel[] }) {
  const current = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const target = portionMarkTarget(e.state);
      return target ? String(target.node.attrs[PORTION_MARK_ATTR] ?? "") : null;
    },
  });
  return (
    <label className="portion-mark-control" title="Portion mark of this block (Ctrl/⌘ + Alt + K)">
      <span className="sr-only">Portion mark</span>
      <select
        aria-label="Portion mark"
        value={current ?? ""}
        disabled={current === null}
        onChange={(e) => editor.chain().focus().setPortionMark(e.target.value).run()}
      >
        <option value="">No mark</option>
        {levels.map((l) => (
          <option key={l.name} value={l.name}>
            ({l.abbr}) {l.name}
          </option>
        ))}
        {current && !levels.some((l) => l.name === current) ? <option value={current}>{current} (not a level of the team)</option> : null}
      </select>
    </label>
  );
}
