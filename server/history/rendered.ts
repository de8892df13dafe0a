import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions/collab-field";
import { serverDoc } from "../yjs-doc";

/**
 * A version's rendered form (docs/decisions/0110): the ordered top-level blocks with their text and
 * fields, each character and field tagged with the Yjs id of the item that holds it. Two rendered
 * forms compare in one linear pass (an id never moves and never comes back), so a comparison does
 * not replay a gc:false Y.Doc, and an inserted character is credited through the client that typed it.
 */
export interface RenderedText {
  text: string;
  /** Runs of the characters' Yjs ids, flattened: client, first clock, length, client, … */
  ids: number[];
}

export interface RenderedField {
  value: string;
  /** The client that last set the field (its map item's id). */
  client: number;
}

export interface RenderedBlock {
  /** The block element's Yjs id, "client:clock": the same block in both versions has the same one. */
  key: string;
  type: string;
  level: number | null;
  blockId: string | null;
  fields: Record<string, RenderedField>;
  /** The block's text; nested blocks (a topic's talking points) separated by "\n". */
  body: RenderedText;
}

export type Rendered = RenderedBlock[];

/** Separators between nested blocks carry the nested element's id, so they match by identity too. */
const SEPARATOR = "\n";

export function renderState(state: Uint8Array): Rendered {
  const doc = serverDoc();
  try {
    Y.applyUpdate(doc, state);
    return renderDoc(doc);
  } finally {
    doc.destroy();
  }
}

/** The rendered form of a document as it is now (deleted items are skipped). */
export function renderDoc(doc: Y.Doc): Rendered {
  const out: Rendered = [];
  for (let item = doc.getXmlFragment(COLLAB_FIELD)._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
    const node = item.content.type;
    const body: RenderedText = { text: "", ids: [] };
    if (node instanceof Y.XmlText) {
      textInto(node, body);
      out.push({ key: idKey(item.id), type: "text", level: null, blockId: null, fields: {}, body });
      continue;
    }
    if (!(node instanceof Y.XmlElement)) continue;
    childrenInto(node, body);
    out.push({ key: idKey(item.id), type: node.nodeName, level: Number(node.getAttribute("level")) || null, blockId: stringOrNull(node.getAttribute("blockId")), fields: fieldsOf(node), body });
  }
  return out;
}

/** Approximate bytes a rendered form holds in memory, for the cache's budget. */
export function renderedBytes(r: Rendered): number {
  let n = 0;
  for (const b of r) {
    n += 200 + b.body.text.length * 2 + b.body.ids.length * 8;
    for (const [k, f] of Object.entries(b.fields)) n += 40 + (k.length + f.value.length) * 2;
  }
  return n;
}

export const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

function childrenInto(el: Y.XmlElement, out: RenderedText) {
  let index = 0;
  for (let item = el._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
    const child = item.content.type;
    if (child instanceof Y.XmlText) textInto(child, out);
    else if (child instanceof Y.XmlElement) {
      if (index > 0 && out.text.length > 0) push(out, SEPARATOR, item.id.client, item.id.clock);
      childrenInto(child, out);
    }
    index++;
  }
}

function textInto(t: Y.XmlText, out: RenderedText) {
  for (let item = t._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    push(out, item.content.str, item.id.client, item.id.clock);
  }
}

function push(out: RenderedText, text: string, client: number, clock: number) {
  out.text += text;
  const ids = out.ids;
  const n = ids.length;
  // Consecutive characters typed in one go continue the previous run.
  if (n > 0 && ids[n - 3] === client && ids[n - 2] + ids[n - 1] === clock) ids[n - 1] += text.length;
  else ids.push(client, clock, text.length);
}

function fieldsOf(el: Y.XmlElement): Record<string, RenderedField> {
  const fields: Record<string, RenderedField> = {};
  for (const [name, item] of el._map) {
    if (item.deleted) continue;
    const content = item.content.getContent();
    const value = content[content.length - 1];
    if (value === undefined || value === null) continue;
    fields[name] = { value: String(value), client: item.id.client };
  }
  return fields;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === "string" && v ? v : null;
}
