import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";

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

export type SuggestionTarget = TextTarget | TitleTarget;

/** Why no target was found: the positions name edits this document lacks, are not a valid range, or their text is gone. */
export type TargetProblem = "ahead" | "invalid" | "gone";

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
  if (!(a.type instanceof Y.XmlText) || a.type !== b.type) return { problem: "invalid" };
  if (!isLive(a.type)) return { problem: "gone" };
  // All the anchored text deleted: the end (stuck to the last character) resolves before the start.
  const from = a.index;
  const to = Math.max(a.index, b.index);
  return { target: { kind: "text", text: a.type, from, to, current: plainText(a.type).slice(from, to) } };
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
  const { text, from, to } = target;
  const attributes = from < to ? attributesAt(text, from) : undefined;
  if (to > from) text.delete(from, to - from);
  if (replacement) text.insert(from, replacement, attributes);
}
