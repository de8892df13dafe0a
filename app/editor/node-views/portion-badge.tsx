import type { Editor } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { markLabel, PORTION_MARK_ATTR, sanitizeLevelName } from "../../../extensions/portion-mark/levels";
import { levelsOf } from "../portion-marks";

/**
 * The "(C)" of a structured block's portion mark. React node views do not take a decoration's
 * attributes, so they show the label themselves (paragraphs and headings get it from CSS).
 */
export function PortionBadge({ editor, node }: { editor: Editor; node: ProseMirrorNode }) {
  const mark = sanitizeLevelName(node.attrs[PORTION_MARK_ATTR]);
  if (!mark) return null;
  const label = markLabel(levelsOf(editor), mark);
  return (
    <span className="portion-badge" contentEditable={false} data-portion-badge={label} title={`Portion mark: ${mark}`}>
      {label}
    </span>
  );
}
