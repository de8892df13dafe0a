import type { Node as ProseMirrorNode } from "@tiptap/pm/model";

/** ProseMirror JSON as stored and exchanged (`editor.getJSON()`, `node.toJSON()`). */
export type JSONContent = {
  type?: string;
  attrs?: Record<string, unknown>;
  content?: JSONContent[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
};

export type NumberedAgendaTopic = {
  blockId: string;
  title: string;
  /** 1-based position among agenda topics in document order. */
  number: number;
};

/**
 * The agenda topics of a document in order, numbered 1, 2, 3 … The number is never stored: it
 * follows from document order, so reordering topics renumbers them everywhere (editor, PDF, lists).
 */
export function numberAgendaTopics(doc: JSONContent): NumberedAgendaTopic[] {
  const out: NumberedAgendaTopic[] = [];
  const visit = (node: JSONContent) => {
    if (node.type === "agendaTopic") {
      out.push({
        blockId: typeof node.attrs?.blockId === "string" ? node.attrs.blockId : "",
        title: typeof node.attrs?.title === "string" ? node.attrs.title : "",
        number: out.length + 1,
      });
      return; // topics do not nest
    }
    node.content?.forEach(visit);
  };
  visit(doc);
  return out;
}

/** The number of the agenda topic starting at `pos` in a ProseMirror document (for node views). */
export function agendaTopicNumberAt(doc: ProseMirrorNode, pos: number): number {
  let n = 0;
  let found = 0;
  doc.descendants((node, nodePos) => {
    if (found) return false;
    if (node.type.name === "agendaTopic") {
      n += 1;
      if (nodePos === pos) found = n;
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}
