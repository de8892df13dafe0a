import type { JSONContent } from "@tiptap/core";
import { newBlockId, sanitizeQuoteAttrs } from "../../extensions";
import { safeHref } from "../../extensions/shared/link";

/**
 * Turns the HTML mammoth writes into a briefing document (ProseMirror JSON of the shared schema).
 * Mammoth's output is a small, regular subset of HTML (its own writer: double-quoted attributes,
 * escaped text, no comments or scripts), so a tokenizer for exactly that is enough and the server
 * needs no DOM. Whatever the schema has no place for is kept as text or dropped, never passed on.
 *
 * The schema has no table: each table row becomes a paragraph, its cells separated by " | ", with
 * header cells in bold. Images are dropped (never read). Paragraphs in Word's Quote and Intense
 * Quote styles (class `word-quote`, from the style map) become quote blocks without attribution.
 */

type El = { tag: string; attrs: Record<string, string>; children: Child[] };
type Child = El | string;

const VOID = new Set(["br", "img", "hr"]);
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)|(<)/g;
const ATTR = /([a-zA-Z-]+)(?:="([^"]*)")?/g;

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" }[e] ?? "";
  });
}

export function parseHtml(html: string): El {
  const root: El = { tag: "root", attrs: {}, children: [] };
  const stack: El[] = [root];
  for (const m of html.matchAll(TOKEN)) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined || m[6] !== undefined) {
      top.children.push(decode(m[5] ?? m[6]));
      continue;
    }
    const tag = m[2].toLowerCase();
    if (m[1]) {
      // Close the nearest open element of that name; a stray end tag is ignored.
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? "").matchAll(ATTR)) attrs[a[1].toLowerCase()] = decode(a[2] ?? "");
    const el: El = { tag, attrs, children: [] };
    top.children.push(el);
    if (!VOID.has(tag) && !m[4]) stack.push(el);
  }
  return root;
}

type Mark = NonNullable<JSONContent["marks"]>[number];

const MARK_TAGS: Record<string, string> = { strong: "bold", b: "bold", em: "italic", i: "italic", u: "underline", s: "strike", del: "strike" };
const BLOCK_TAGS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "blockquote", "div"]);


function inline(children: Child[], marks: Mark[] = []): JSONContent[] {
  const out: JSONContent[] = [];
  for (const c of children) {
    if (typeof c === "string") {
      if (c) out.push(marks.length ? { type: "text", text: c, marks } : { type: "text", text: c });
      continue;
    }
    if (c.tag === "br") out.push({ type: "hardBreak" });
    else if (c.tag === "img" || c.tag === "hr") continue;
    else if (MARK_TAGS[c.tag]) {
      const type = MARK_TAGS[c.tag];
      out.push(...inline(c.children, marks.some((m) => m.type === type) ? marks : [...marks, { type }]));
    } else if (c.tag === "a") {
      const href = safeHref(c.attrs.href);
      out.push(...inline(c.children, href ? [...marks.filter((m) => m.type !== "link"), { type: "link", attrs: { href } }] : marks));
    } else out.push(...inline(c.children, marks));
  }
  return mergeText(out);
}

/** Adjacent text with the same marks as one node, as ProseMirror would store it. */
function mergeText(nodes: JSONContent[]): JSONContent[] {
  const out: JSONContent[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.type === "text" && last?.type === "text" && JSON.stringify(last.marks ?? []) === JSON.stringify(n.marks ?? [])) last.text += n.text ?? "";
    else out.push({ ...n });
  }
  return out;
}

const paragraph = (content: JSONContent[]): JSONContent => (content.length ? { type: "paragraph", content } : { type: "paragraph" });

function quote(content: JSONContent[]): JSONContent {
  // A quote holds inline text only; line breaks inside it are kept.
  const attrs = sanitizeQuoteAttrs({ blockId: newBlockId() });
  return content.length ? { type: "quote", attrs, content } : { type: "quote", attrs };
}

function isQuote(el: El): boolean {
  return (el.attrs.class ?? "").split(/\s+/).includes("word-quote");
}

function tableRows(table: El): JSONContent[] {
  const rows: JSONContent[] = [];
  const visit = (el: El) => {
    for (const c of el.children) {
      if (typeof c === "string") continue;
      if (c.tag === "tr") {
        const cells: JSONContent[] = [];
        for (const cell of c.children) {
          if (typeof cell === "string" || (cell.tag !== "td" && cell.tag !== "th")) continue;
          if (cells.length) cells.push({ type: "text", text: " | " });
          cells.push(...inline(flattenBlocks(cell.children), cell.tag === "th" ? [{ type: "bold" }] : []));
        }
        rows.push(paragraph(mergeText(cells)));
      } else if (c.tag !== "table") visit(c);
    }
  };
  visit(table);
  return rows;
}

/** The inline content of blocks inside a table cell, the blocks separated by a space. */
function flattenBlocks(children: Child[]): Child[] {
  const out: Child[] = [];
  for (const c of children) {
    if (typeof c !== "string" && BLOCK_TAGS.has(c.tag)) {
      if (out.length) out.push(" ");
      out.push(...flattenBlocks(c.children));
    } else out.push(c);
  }
  return out;
}

function listItem(li: El): JSONContent {
  const content = blocks(li.children);
  // The schema's list item starts with a paragraph.
  if (content[0]?.type !== "paragraph") content.unshift(paragraph([]));
  return { type: "listItem", content };
}

function blocks(children: Child[]): JSONContent[] {
  const out: JSONContent[] = [];
  let loose: Child[] = [];
  const flush = () => {
    const content = inline(loose);
    loose = [];
    if (content.some((n) => n.type !== "text" || (n.text ?? "").trim())) out.push(paragraph(content));
  };
  for (const c of children) {
    if (typeof c === "string" || !BLOCK_TAGS.has(c.tag)) {
      loose.push(c);
      continue;
    }
    flush();
    const heading = /^h([1-6])$/.exec(c.tag);
    if (heading) out.push({ type: "heading", attrs: { level: Number(heading[1]) }, content: inline(c.children) });
    else if (c.tag === "p") {
      const content = inline(c.children);
      // A paragraph that held only a picture goes with the picture.
      if (!content.length && c.children.some((x) => typeof x !== "string" && x.tag === "img")) continue;
      out.push(isQuote(c) ? quote(content) : paragraph(content));
    }
    else if (c.tag === "blockquote") out.push(...blocks(c.children).map((b) => (b.type === "paragraph" ? quote(b.content ?? []) : b)));
    else if (c.tag === "ul" || c.tag === "ol") {
      const items = c.children.filter((li): li is El => typeof li !== "string" && li.tag === "li").map(listItem);
      if (items.length) out.push({ type: c.tag === "ul" ? "bulletList" : "orderedList", content: items });
    } else if (c.tag === "table") out.push(...tableRows(c));
    else out.push(...blocks(c.children));
  }
  flush();
  return out.map((b) => (b.type === "heading" && !b.content?.length ? { type: "heading", attrs: b.attrs } : b));
}

/** The briefing document for mammoth's HTML; never empty (the schema needs one block). */
export function htmlToDocument(html: string): JSONContent {
  const content = blocks(parseHtml(html).children);
  return { type: "doc", content: content.length ? content : [paragraph([])] };
}
