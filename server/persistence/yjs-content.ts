/**
 * A briefing's Y.XmlFragment as the JSON the projection walks (projection.ts), read straight from
 * Yjs: no Tiptap, no ProseMirror, so the projection thread starts without the editor schema
 * (docs/decisions/0208). Follows what @tiptap/y-tiptap's yXmlFragmentToProseMirrorRootNode does
 * through the schema, for every document the editor produces:
 * - an element is a node named by its nodeName; its attributes are the element's Yjs attributes,
 *   only those the schema defines for that type (defaults are not filled in: every reader
 *   sanitises, and a missing attribute sanitises to its default);
 * - a Y.XmlText gives one text node per delta run; its marks are the run's attributes (a hashed
 *   `name--xxxxxxxx` key names the mark `name`);
 * - an element of a type the schema does not have is dropped with its content, and a text with a
 *   mark the schema does not have is dropped whole, as the schema path drops both;
 * - an element whose (converted) content does not fit its type's content expression, or whose
 *   text carries marks the type does not allow, is dropped with its content: y-tiptap builds each
 *   node with `schema.node`, which is ProseMirror's `createChecked` (CONTENT below).
 * Where the schema path throws or invents text, this drops instead: text or hooks directly under
 * the fragment, hooks and embeds inside elements. Unlike the schema path it never deletes from
 * the Y.Doc it reads.
 */
import type { JSONContent } from "@tiptap/core"; // a type only: erased from the bundle
import * as Y from "yjs";
import { AGENDA_TOPIC_ATTR_RULES } from "../../extensions/agenda-topic/agenda-topic-attrs";
import { COUNTRY_FACT_ATTR_RULES } from "../../extensions/country-fact/country-fact-attrs";
import { PORTION_MARK_ATTR } from "../../extensions/portion-mark/levels";
import { QUOTE_ATTR_RULES } from "../../extensions/quote/quote-attrs";

const PM = PORTION_MARK_ATTR;

/** Node types of the editor schema and the attributes each has (checked against the schema in yjs-content.test.ts). */
export const NODE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  doc: [],
  paragraph: [PM],
  blockquote: [PM],
  bulletList: [PM],
  codeBlock: ["language"],
  hardBreak: [],
  heading: [PM, "level"],
  horizontalRule: [],
  listItem: [PM],
  orderedList: [PM, "start", "type"],
  quote: [PM, ...Object.keys(QUOTE_ATTR_RULES)],
  agendaTopic: [PM, ...Object.keys(AGENDA_TOPIC_ATTR_RULES)],
  countryFact: [PM, ...Object.keys(COUNTRY_FACT_ATTR_RULES)],
};

const BLOCK = new Set(["paragraph", "blockquote", "bulletList", "codeBlock", "heading", "horizontalRule", "orderedList", "quote", "countryFact"]);
const INLINE = new Set(["text", "hardBreak"]);
const TOP = new Set([...BLOCK, "agendaTopic"]);
/** Each type's content expression as the schema states it (checked against the schema's content specs in the test). */
const CONTENT: Readonly<Record<string, (kids: JSONContent[]) => boolean>> = {
  doc: (k) => k.length > 0 && k.every((c) => TOP.has(c.type!)),
  paragraph: (k) => k.every((c) => INLINE.has(c.type!)),
  heading: (k) => k.every((c) => INLINE.has(c.type!)),
  quote: (k) => k.every((c) => INLINE.has(c.type!)),
  blockquote: (k) => k.length > 0 && k.every((c) => BLOCK.has(c.type!)),
  agendaTopic: (k) => k.length > 0 && k.every((c) => BLOCK.has(c.type!)),
  bulletList: (k) => k.length > 0 && k.every((c) => c.type === "listItem"),
  orderedList: (k) => k.length > 0 && k.every((c) => c.type === "listItem"),
  listItem: (k) => k[0]?.type === "paragraph" && k.every((c) => BLOCK.has(c.type!)),
  codeBlock: (k) => k.every((c) => c.type === "text" && !c.marks?.length),
  hardBreak: (k) => k.length === 0,
  horizontalRule: (k) => k.length === 0,
  countryFact: (k) => k.length === 0,
};

/** Content expressions of NODE_ATTRIBUTES' types, as written in the schema (for the test). */
export const CONTENT_SPECS: Readonly<Record<string, string>> = {
  doc: "(block | topic)+",
  paragraph: "inline*",
  heading: "inline*",
  quote: "inline*",
  blockquote: "block+",
  agendaTopic: "block+",
  bulletList: "listItem+",
  orderedList: "listItem+",
  listItem: "paragraph block*",
  codeBlock: "text*",
  hardBreak: "",
  horizontalRule: "",
  countryFact: "",
};

/** Mark types of the editor schema (likewise checked). */
export const MARK_TYPES: ReadonlySet<string> = new Set(["link", "bold", "code", "italic", "strike", "underline"]);

const HASHED_MARK = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

/** The body of a Y.Doc field as a `doc` node. */
export function fragmentToJSON(fragment: Y.XmlFragment): JSONContent {
  const content: JSONContent[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) {
      const node = elementToJSON(child);
      if (node) content.push(node);
    }
  }
  return content.length ? { type: "doc", content } : { type: "doc" };
}

function elementToJSON(el: Y.XmlElement): JSONContent | null {
  const names = Object.hasOwn(NODE_ATTRIBUTES, el.nodeName) ? NODE_ATTRIBUTES[el.nodeName] : undefined;
  if (!names) return null;
  const node: JSONContent = { type: el.nodeName };
  if (names.length) {
    const given = el.getAttributes() as Record<string, unknown>;
    const attrs: Record<string, unknown> = {};
    let any = false;
    for (const name of names) {
      if (given[name] !== undefined) {
        attrs[name] = given[name];
        any = true;
      }
    }
    if (any) node.attrs = attrs;
  }
  const content: JSONContent[] = [];
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlElement) {
      const n = elementToJSON(child);
      if (n) content.push(n);
    } else if (child instanceof Y.XmlText) {
      textToJSON(child, content);
    }
  }
  if (!CONTENT[el.nodeName](content)) return null;
  if (content.length) node.content = content;
  return node;
}

function textToJSON(text: Y.XmlText, out: JSONContent[]): void {
  const runs: JSONContent[] = [];
  for (const run of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof run.insert !== "string" || !run.insert) continue;
    const node: JSONContent = { type: "text", text: run.insert };
    if (run.attributes) {
      const marks: NonNullable<JSONContent["marks"]> = [];
      for (const key of Object.keys(run.attributes)) {
        const type = HASHED_MARK.exec(key)?.[1] ?? key;
        if (!MARK_TYPES.has(type)) return;
        const value = run.attributes[key];
        marks.push(value && typeof value === "object" && Object.keys(value).length ? { type, attrs: value as Record<string, unknown> } : { type });
      }
      if (marks.length) node.marks = marks;
    }
    runs.push(node);
  }
  for (const r of runs) out.push(r);
}
