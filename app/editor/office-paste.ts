import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { safeHref } from "../../extensions/shared/link";

/**
 * Pasting from Word or Google Docs: their clipboard HTML carries Office styles, mso- classes,
 * conditional comments, fonts, comment anchors, tracked changes and Google's docs-internal-guid
 * wrapper. This rewrites it to plain structure the schema parses (headings, paragraphs, lists,
 * bold / italic / underline / links); anything else is unwrapped to its text or dropped. Tables
 * become one paragraph per row, cells separated by " | " (the schema has no table), as in Word
 * import. HTML from anywhere else (our own copies of quotes and agenda topics) is left alone.
 */
export const OfficePaste = Extension.create({
  name: "officePaste",
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey("officePaste"), props: { transformPastedHTML: (html) => cleanOfficeHtml(html) } })];
  },
});

const WORD = /urn:schemas-microsoft-com:office|class="?Mso|mso-/i;
const GOOGLE = /id="docs-internal-guid-/;

export function isOfficeHtml(html: string): boolean {
  return WORD.test(html) || GOOGLE.test(html);
}

const KEEP = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "u", "a", "br", "blockquote"]);
const RENAME: Record<string, string> = { b: "strong", i: "em" };
/** Dropped with everything inside: not content, or content the author deleted or wrote as a comment. */
const DROP = new Set(["style", "script", "meta", "link", "title", "xml", "head", "del", "img", "object", "iframe", "svg", "noscript"]);
const BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "div", "table", "tr"]);

export function cleanOfficeHtml(html: string): string {
  if (!isOfficeHtml(html)) return html;
  // Conditional comments hold Word's document settings, styles and VML images; drop them before parsing.
  const source = html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "");
  const parsed = new DOMParser().parseFromString(source, "text/html");
  const out = parsed.createElement("div");
  cleanChildren(parsed.body, out, parsed);
  groupWordLists(out, parsed);
  return out.innerHTML;
}

function isCommentPart(el: Element): boolean {
  const cls = el.getAttribute("class") ?? "";
  const style = el.getAttribute("style") ?? "";
  return /msocom|MsoCommentReference|MsoCommentText/i.test(cls) || /mso-element:\s*comment/i.test(style) || /^_msocom_/.test(el.getAttribute("id") ?? "");
}

function cleanChildren(from: Node, to: Element, doc: Document): void {
  for (const child of Array.from(from.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      to.append(doc.createTextNode(child.textContent ?? ""));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    const el = child as Element;
    const tag = el.localName.toLowerCase();
    // Namespaced Office elements (<o:p>, <w:…>, <v:…>) have a prefix in their name.
    if (el.nodeName.includes(":")) {
      if (el.nodeName.toLowerCase() !== "o:p") continue;
      cleanChildren(el, to, doc);
      continue;
    }
    // Word's list marker ("1.", "·") is a span styled mso-list:Ignore; the list itself says it.
    if (DROP.has(tag) || isCommentPart(el) || /mso-list:\s*Ignore/i.test(el.getAttribute("style") ?? "")) continue;
    if (tag === "table") {
      tableAsParagraphs(el, to, doc);
      continue;
    }
    const marks = spanMarks(el);
    if (marks.length) {
      const outer = doc.createElement(marks[0]);
      const inner = marks[1] ? outer.appendChild(doc.createElement(marks[1])) : outer;
      cleanChildren(el, inner, doc);
      to.append(outer);
      continue;
    }
    const name = googleWrapper(el) ? null : (blockName(el) ?? RENAME[tag] ?? (KEEP.has(tag) ? tag : null));
    if (!name) {
      // Unwrapped: <span>, <font>, <ins> (an accepted insertion), Google's <b style="font-weight:normal">.
      const inner = BLOCKS.has(tag) ? doc.createElement("p") : null;
      cleanChildren(el, inner ?? to, doc);
      if (inner) to.append(...(inner.querySelector("p, h1, h2, h3, h4, h5, h6, ul, ol, li") ? Array.from(inner.childNodes) : [inner]));
      continue;
    }
    const copy = doc.createElement(name);
    if (name === "a") {
      const href = safeHref(el.getAttribute("href"));
      if (!href) {
        cleanChildren(el, to, doc);
        continue;
      }
      copy.setAttribute("href", href);
    }
    if (name === "p" && /mso-list:\s*l\d+/i.test(el.getAttribute("style") ?? "")) copy.setAttribute("data-word-list", listKind(el));
    cleanChildren(el, copy, doc);
    to.append(copy);
  }
}

/** Word's heading and title paragraphs (<p class=MsoHeading1>, MsoTitle); Google's are real headings. */
function blockName(el: Element): string | null {
  const cls = el.getAttribute("class") ?? "";
  const heading = /\bMsoHeading([1-6])\b/i.exec(cls);
  if (heading) return `h${heading[1]}`;
  if (/\bMsoTitle\b/i.test(cls)) return "h1";
  if (/\bMsoSubtitle\b/i.test(cls)) return "h2";
  if (/\bMso(Intense)?Quote\b/i.test(cls)) return "blockquote";
  return null;
}

/** Google Docs wraps the whole clipboard in <b style="font-weight:normal" id="docs-internal-guid-…">. */
function googleWrapper(el: Element): boolean {
  return el.localName === "b" && (/^docs-internal-guid-/.test(el.id) || /(?:^|;)\s*font-weight:\s*(normal|400)/i.test(el.getAttribute("style") ?? ""));
}

/**
 * Google Docs marks bold and italic with styles on spans (`font-weight:700`, `font-style:italic`).
 * Only the property itself counts: Word's `mso-bidi-font-weight` is about other scripts.
 */
function spanMarks(el: Element): string[] {
  if (el.localName !== "span") return [];
  const style = el.getAttribute("style") ?? "";
  const marks: string[] = [];
  if (/(?:^|;)\s*font-weight:\s*(700|800|900|bold)/i.test(style)) marks.push("strong");
  if (/(?:^|;)\s*font-style:\s*italic/i.test(style)) marks.push("em");
  return marks;
}


/** "ol" when Word's list marker (the mso-list:Ignore span before the text) is a number or letter. */
function listKind(el: Element): string {
  const span = Array.from(el.querySelectorAll("span")).find((s) => /mso-list:\s*Ignore/i.test(s.getAttribute("style") ?? ""));
  const marker = (span?.textContent ?? "").trim().split(/\s/)[0] ?? "";
  return /^(\d+|[a-z]|[ivxlc]+)[.)]$/i.test(marker) ? "ol" : "ul";
}

/**
 * Word pastes a list as paragraphs with `mso-list` styles and the marker as text; consecutive ones
 * become a real list, without the marker.
 */
function groupWordLists(root: Element, doc: Document): void {
  let list: Element | null = null;
  for (const child of Array.from(root.children)) {
    const kind = child.getAttribute("data-word-list");
    if (!kind) {
      list = null;
      continue;
    }
    if (!list || list.localName !== kind) {
      list = doc.createElement(kind);
      child.before(list);
    }
    child.removeAttribute("data-word-list");
    const li = doc.createElement("li");
    li.append(child);
    list.append(li);
  }
}

function tableAsParagraphs(table: Element, to: Element, doc: Document): void {
  for (const row of Array.from(table.querySelectorAll("tr"))) {
    if (row.closest("table") !== table) continue;
    const p = doc.createElement("p");
    for (const cell of Array.from(row.children)) {
      if (p.childNodes.length) p.append(doc.createTextNode(" | "));
      const holder = doc.createElement("span");
      cleanChildren(cell, holder, doc);
      const text = holder.textContent?.replace(/\s+/g, " ").trim() ?? "";
      const isHeader = cell.localName === "th" || row.parentElement?.localName === "thead";
      if (isHeader) {
        const strong = doc.createElement("strong");
        strong.textContent = text;
        p.append(strong);
      } else p.append(...inlineOnly(holder, doc));
    }
    to.append(p);
  }
}

/** A cell's content as inline nodes (its paragraphs joined by spaces), marks and links kept. */
function inlineOnly(holder: Element, doc: Document): Node[] {
  const out: Node[] = [];
  for (const n of Array.from(holder.childNodes)) {
    if (n.nodeType === Node.ELEMENT_NODE && BLOCKS.has((n as Element).localName)) {
      if (out.length) out.push(doc.createTextNode(" "));
      out.push(...inlineOnly(n as Element, doc));
    } else out.push(n);
  }
  return out;
}
