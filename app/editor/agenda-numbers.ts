import type { Node as PMNode } from "@tiptap/pm/model";

export interface AgendaEntry {
  pos: number;
  number: number;
  blockId: string;
  title: string;
  status: string;
  priority: string;
}

const cache = new WeakMap<PMNode, AgendaEntry[]>();

/**
 * Agenda topics in document order with their 1-based numbers. Documents are immutable, so the
 * list is computed once per document version and shared by every node view and the outline.
 */
export function agendaTopics(doc: PMNode): AgendaEntry[] {
  let list = cache.get(doc);
  if (list) return list;
  list = [];
  const found = list;
  doc.descendants((node, pos) => {
    if (node.type.name !== "agendaTopic") return true;
    found.push({
      pos,
      number: found.length + 1,
      blockId: String(node.attrs.blockId ?? ""),
      title: String(node.attrs.title ?? ""),
      status: String(node.attrs.status ?? ""),
      priority: String(node.attrs.priority ?? ""),
    });
    return false; // topics do not nest
  });
  cache.set(doc, list);
  return list;
}

/** The number of the agenda topic at `pos`, or 0 when there is none there. */
export function agendaNumberAt(doc: PMNode, pos: number): number {
  return agendaTopics(doc).find((t) => t.pos === pos)?.number ?? 0;
}
