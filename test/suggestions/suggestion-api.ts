import * as Y from "yjs";
import { encodeAnchor, type EncodedAnchor } from "../../app/comments/anchor";
import { caretAnchor, titleAnchor } from "../../app/suggestions/anchor";
import type { SuggestionsPayload, SuggestionView } from "../../app/suggestions/types";
import { bodyDocument } from "../../app/utils/comment-document.server";
import { findText } from "../comments/comment-api";
import { postForm } from "../helpers/http";
import { body, DEMO_BRIEFING } from "../helpers/yclient";

/** The suggestion routes over real HTTP, as the browser calls them. */
export function suggestionApi(baseUrl: string, cookie: string | null, briefingId = DEMO_BRIEFING) {
  const route = `/briefings/${briefingId}/suggestions`;
  const base = baseUrl + route;
  const post = (path: string, fields: Record<string, string>) => postForm(baseUrl, route + path, cookie, fields);
  return {
    list: () => fetch(base, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" }),
    async all(): Promise<SuggestionView[]> {
      const res = await this.list();
      if (res.status !== 200) throw new Error(`list answered ${res.status}`);
      return ((await res.json()) as SuggestionsPayload).suggestions;
    },
    suggest: (anchor: EncodedAnchor, replacement: string, kind: "text" | "topicTitle" = "text") =>
      post("", { intent: "suggest", kind, anchorStart: anchor.start, anchorEnd: anchor.end, replacement }),
    accept: (id: string) => post(`/${id}`, { intent: "accept" }),
    reject: (id: string) => post(`/${id}`, { intent: "reject" }),
    reply: (id: string, text: string) => post(`/${id}`, { intent: "reply", body: text }),
    acceptAll: (authorId: string) => post("", { intent: "acceptAll", authorId }),
    rejectAll: (authorId: string) => post("", { intent: "rejectAll", authorId }),
    post,
  };
}

/** Anchor for the caret right after `needle` (an insertion), computed from a client's Y.Doc. */
export function caretAfter(doc: Y.Doc, needle: string): EncodedAnchor {
  const b = bodyDocument(doc);
  return caretAnchor(b.fragment, b.mapping, findText(b.pmDoc, needle).to);
}

/** The agenda topic element titled `title`. */
export function topicElement(doc: Y.Doc, title: string): Y.XmlElement {
  const el = body(doc)
    .toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === "agendaTopic" && c.getAttribute("title") === title);
  if (!el) throw new Error(`no agenda topic titled "${title}"`);
  return el;
}

export const topicTitleAnchor = (doc: Y.Doc, title: string) => titleAnchor(topicElement(doc, title));

/** The document's plain text, paragraphs joined by newlines. */
export const plainBody = (doc: Y.Doc) => bodyDocument(doc).pmDoc.textBetween(0, bodyDocument(doc).pmDoc.content.size, "\n", " ");

/** The range from the start of `fromNeedle` to the end of `toNeedle` (each inside one text node, maybe of two blocks), as the browser anchors a selection. */
export function spanAnchor(doc: Y.Doc, fromNeedle: string, toNeedle: string): EncodedAnchor {
  const b = bodyDocument(doc);
  return encodeAnchor(b.fragment, b.mapping, findText(b.pmDoc, fromNeedle).from, findText(b.pmDoc, toNeedle).to);
}
