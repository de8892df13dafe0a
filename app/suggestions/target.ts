import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";
import { charBefore, charRuns, pairRuns, recordMerge } from "./merged-block";

/**
 * Where a suggestion applies, found in a Y.Doc from its two relative positions (docs/decisions/0504).
 * The same functions run on the server's copy of the document when a suggestion is made and on
 * the live room's document when it is accepted, so "outdated" means the same thing in both.
 *
 * - `text`: a range of one Y.XmlText (one run of a paragraph, heading, quote or list item; a hard
 *   break or another inline node ends a run). Start and end are equal for an insertion.
 * - `topicTitle`: the `title` attribute of the agenda topic whose item both positions name (a
 *   topic's title is an attribute of its node, not text of the body).
 */

export type SuggestionKind = "text" | "topicTitle";

export interface TextTarget {
  kind: "text";
  text: Y.XmlText;
  from: number;
  to: number;
  current: string;
}

export interface TitleTarget {
  kind: "topicTitle";
  element: Y.XmlElement;
  current: string;
}

/**
 * A `text` suggestion from inside one textblock (paragraph or heading) to inside a later sibling
 * one: accepting deletes the range and merges the two blocks, as deleting across a boundary does
 * in the editor (docs/decisions/0506).
 */
export interface SpanTarget {
  kind: "span";
  /** The run the range starts in (the last run of its block) and the index there. */
  start: { text: Y.XmlText; index: number };
  /** The run the range ends in (the first run of its block) and the index there. */
  end: { text: Y.XmlText; index: number };
  /** The container of both blocks, and their indexes in it. */
  parent: Y.XmlFragment | Y.XmlElement;
  first: number;
  last: number;
  current: string;
}

export type SuggestionTarget = TextTarget | TitleTarget | SpanTarget;

/**
 * Why no target was found: the positions name edits this document lacks, are not a valid range,
 * span a quote, agenda topic or country fact (whose fields a text change cannot carry), or their text is gone.
 */
export type TargetProblem = "ahead" | "invalid" | "structured" | "gone";

/** Blocks whose text a range may start or end in when it spans blocks. */
const SPAN_ENDS = new Set(["paragraph", "heading"]);
/** Blocks with fields beside their text: a range across blocks never deletes or merges them. */
const STRUCTURED = new Set(["quote", "agendaTopic", "countryFact"]);

export type Located = { target: SuggestionTarget } | { problem: TargetProblem };

/** Placeholder for a non-text item inside a run, so indexes match Yjs' own. */
const EMBED = "\uFFFC";

/** The characters of a Y.XmlText without its formatting, one per Yjs index. */
export function plainText(text: Y.XmlText): string {
  let out = "";
  for (const op of text.toDelta() as { insert: unknown }[]) out += typeof op.insert === "string" ? op.insert : EMBED;
  return out;
}

function isAhead(doc: Y.Doc, rel: Y.RelativePosition): boolean {
  const id = rel.item ?? rel.type;
  return id !== null && Y.getState(doc.store, id.client) <= id.clock;
}

/** Whether the type and every type around it are still in the document (not deleted with an ancestor). */
function isLive(type: { _item: Y.Item | null }): boolean {
  for (let item = type._item; item; item = (item.parent as { _item: Y.Item | null })._item) {
    if (item.deleted) return false;
  }
  return true;
}

export function locateTarget(doc: Y.Doc, kind: SuggestionKind, start: Y.RelativePosition, end: Y.RelativePosition): Located {
  // A root read from an update stays a plain AbstractType until it is asked for by its type.
  doc.getXmlFragment(COLLAB_FIELD);
  if (isAhead(doc, start) || isAhead(doc, end)) return { problem: "ahead" };
  if (kind === "topicTitle") return locateTitle(doc, start);
  const a = Y.createAbsolutePositionFromRelativePosition(start, doc);
  const b = Y.createAbsolutePositionFromRelativePosition(end, doc);
  if (!a || !b) return { problem: "gone" };
  if (!(a.type instanceof Y.XmlText) || !(b.type instanceof Y.XmlText)) return { problem: "invalid" };
  if (!isLive(a.type) || !isLive(b.type)) return { problem: "gone" };
  if (a.type !== b.type) return locateSpan(a.type, a.index, b.type, b.index);
  // All the anchored text deleted: the end (stuck to the last character) resolves before the start.
  const from = a.index;
  const to = Math.max(a.index, b.index);
  return { target: { kind: "text", text: a.type, from, to, current: plainText(a.type).slice(from, to) } };
}

/** The text of an element's content as ProseMirror's textBetween(…, "\n", " ") reads it: blocks on lines of their own. */
function blockText(el: Y.XmlElement, lines: string[]): void {
  if (STRUCTURED.has(el.nodeName)) return;
  const inline = el.toArray().some((c) => c instanceof Y.XmlText);
  if (inline || el.length === 0) {
    let line = "";
    for (const c of el.toArray()) line += c instanceof Y.XmlText ? plainText(c) : " ";
    lines.push(line);
    return;
  }
  if (el.nodeName === "horizontalRule") lines.push(" ");
  for (const c of el.toArray()) if (c instanceof Y.XmlElement) blockText(c, lines);
}

function hasStructured(el: Y.XmlElement): boolean {
  return STRUCTURED.has(el.nodeName) || el.toArray().some((c) => c instanceof Y.XmlElement && hasStructured(c));
}

function locateSpan(a: Y.XmlText, from: number, b: Y.XmlText, to: number): Located {
  const p1 = a.parent;
  const p2 = b.parent;
  if (!(p1 instanceof Y.XmlElement) || !(p2 instanceof Y.XmlElement)) return { problem: "invalid" };
  const parent = p1.parent;
  if (!(parent instanceof Y.XmlFragment || parent instanceof Y.XmlElement) || p2.parent !== parent) return { problem: "invalid" };
  if (STRUCTURED.has(p1.nodeName) || STRUCTURED.has(p2.nodeName)) return { problem: "structured" };
  if (!SPAN_ENDS.has(p1.nodeName) || !SPAN_ENDS.has(p2.nodeName)) return { problem: "invalid" };
  // The range must run from the block's last run to the next block's first (no line break or inline node at the edges).
  if (p1.get(p1.length - 1) !== a || p2.get(0) !== b) return { problem: "invalid" };
  const siblings = parent.toArray();
  const first = siblings.indexOf(p1);
  const last = siblings.indexOf(p2);
  if (first < 0 || last <= first) return { problem: "invalid" };
  const lines = [plainText(a).slice(from)];
  for (const el of siblings.slice(first + 1, last)) {
    if (!(el instanceof Y.XmlElement)) continue;
    if (hasStructured(el)) return { problem: "structured" };
    blockText(el, lines);
  }
  lines.push(plainText(b).slice(0, to));
  return { target: { kind: "span", start: { text: a, index: from }, end: { text: b, index: to }, parent, first, last, current: lines.join("\n") } };
}

function locateTitle(doc: Y.Doc, start: Y.RelativePosition): Located {
  if (!start.item) return { problem: "invalid" };
  const abs = Y.createAbsolutePositionFromRelativePosition(start, doc);
  if (!abs) return { problem: "gone" };
  const parent = abs.type;
  if (!(parent instanceof Y.XmlFragment || parent instanceof Y.XmlElement)) return { problem: "invalid" };
  const el = parent.get(abs.index);
  if (!(el instanceof Y.XmlElement)) return { problem: "gone" };
  const item = el._item;
  if (!item || item.id.client !== start.item.client || item.id.clock !== start.item.clock) return { problem: "gone" };
  if (el.nodeName !== "agendaTopic") return { problem: "invalid" };
  if (!isLive(el)) return { problem: "gone" };
  const title = el.getAttribute("title");
  return { target: { kind: "topicTitle", element: el, current: typeof title === "string" ? title : "" } };
}

/** Relative position naming an agenda topic's element (for a `topicTitle` suggestion). */
export function elementPosition(el: Y.XmlElement): Y.RelativePosition {
  const item = el._item;
  if (!item) throw new Error("element is not in a document");
  return Y.createRelativePositionFromJSON({ item: { client: item.id.client, clock: item.id.clock }, assoc: 0 });
}

/** The formatting of the character at `index` (marks are Yjs text attributes in y-tiptap). */
function attributesAt(text: Y.XmlText, index: number): Record<string, unknown> | undefined {
  let at = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const len = typeof op.insert === "string" ? op.insert.length : 1;
    if (index < at + len) return op.attributes ?? {};
    at += len;
  }
  return undefined;
}

/**
 * Writes the replacement into the document. Call inside a transaction, after checking that
 * `target.current` is still the suggestion's original text. Replaced text keeps the formatting
 * of its first character; an insertion takes the formatting of the character before it.
 */
export function applyToTarget(target: SuggestionTarget, replacement: string): void {
  if (target.kind === "topicTitle") {
    target.element.setAttribute("title", replacement);
    return;
  }
  if (target.kind === "span") {
    applyToSpan(target, replacement);
    return;
  }
  const { text, from, to } = target;
  const attributes = from < to ? attributesAt(text, from) : undefined;
  if (to > from) text.delete(from, to - from);
  if (replacement) text.insert(from, replacement, attributes);
}

/** The formatted content of a run from `index` on, as a Yjs delta. */
function deltaFrom(text: Y.XmlText, index: number): { insert: unknown; attributes?: Record<string, unknown> }[] {
  const out: { insert: unknown; attributes?: Record<string, unknown> }[] = [];
  let at = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const len = typeof op.insert === "string" ? op.insert.length : 1;
    if (at + len > index) {
      const insert = typeof op.insert === "string" ? op.insert.slice(Math.max(0, index - at)) : op.insert;
      out.push(op.attributes ? { insert, attributes: op.attributes } : { insert });
    }
    at += len;
  }
  return out;
}

/**
 * Deletes a range across blocks and merges its two blocks: the first block keeps its text up to
 * the start, then the replacement, then the end block's text after the end (with its formatting);
 * the blocks between and the end block go. The first block's item stays, so anchors before the
 * range keep resolving.
 */
function applyToSpan(target: SpanTarget, replacement: string): void {
  const { start, end, parent, first, last } = target;
  const attributes = start.index < start.text.length ? attributesAt(start.text, start.index) : attributesAt(end.text, 0);
  const tail = deltaFrom(end.text, end.index);
  const old = charRuns(end.text, end.index);
  const edge = charBefore(end.text, end.index);
  if (start.text.length > start.index) start.text.delete(start.index, start.text.length - start.index);
  if (replacement) start.text.insert(start.index, replacement, attributes);
  const copyAt = start.text.length;
  if (tail.length) start.text.applyDelta([{ retain: copyAt }, ...tail]);
  parent.delete(first + 1, last - first);
  // Typing in the end block that reaches the server after this lands in a deleted block: the live
  // room moves it to the copy by this record (docs/decisions/0602).
  const doc = start.text.doc;
  if (doc) {
    const at = Y.createRelativePositionFromTypeIndex(start.text, copyAt, tail.length === 0 && copyAt > 0 ? -1 : 0);
    const block = end.text._item ? { client: end.text._item.id.client, clock: end.text._item.id.clock } : null;
    recordMerge(doc, { runs: pairRuns(old, charRuns(start.text, copyAt)), edge, block, start: at });
  }
}
