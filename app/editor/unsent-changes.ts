import * as Y from "yjs";

/** Attributes that identify a block rather than say anything a reader needs. */
const SKIPPED_ATTRIBUTES = /(^|[a-z])(id|Id)$/;

function textOf(node: Y.XmlText): string {
  return (node.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
}

function writeNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook, lines: string[]) {
  if (node instanceof Y.XmlText) {
    lines.push(textOf(node));
    return;
  }
  if (!(node instanceof Y.XmlElement)) return;
  for (const [key, value] of Object.entries(node.getAttributes())) {
    if (typeof value === "string" && value.trim() !== "" && !SKIPPED_ATTRIBUTES.test(key)) lines.push(`[${key}: ${value}]`);
  }
  const children = node.toArray();
  if (children.length > 0 && children.every((c) => c instanceof Y.XmlText)) {
    // A text block (paragraph, heading, list item text): one line.
    lines.push(children.map((c) => textOf(c as Y.XmlText)).join(""));
    return;
  }
  for (const child of children) writeNode(child, lines);
}

/**
 * The text of this device's copy of a briefing, one block a line, with the blocks' readable
 * attributes (a quote's speaker, a topic's title) in brackets: what a person needs to put refused
 * changes back by hand, in a file any computer opens.
 */
export function documentText(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  for (const node of fragment.toArray()) writeNode(node, lines);
  return lines.join("\n") + "\n";
}

/** Offers the device's copy as a .txt download. */
export function downloadDocumentText(fragment: Y.XmlFragment, briefingId: string) {
  const blob = new Blob([documentText(fragment)], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${briefingId}-unsent-changes.txt`;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
