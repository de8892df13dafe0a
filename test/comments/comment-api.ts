import type { Node as PMNode } from "@tiptap/pm/model";
import * as Y from "yjs";
import { encodeAnchor, resolveAnchor, rangeText, type EncodedAnchor } from "../../app/comments/anchor";
import type { CommentsPayload, ThreadView } from "../../app/comments/types";
import { bodyDocument, decodeStoredAnchor } from "../../app/utils/comment-document.server";
import { postForm } from "../helpers/http";
import { DEMO_BRIEFING } from "../helpers/yclient";

/** The comment routes over real HTTP, as the browser calls them. */
export function commentApi(baseUrl: string, cookie: string | null, briefingId = DEMO_BRIEFING) {
  const route = `/briefings/${briefingId}/comments`;
  const base = baseUrl + route;
  const post = (path: string, fields: Record<string, string>) => postForm(baseUrl, route + path, cookie, fields);
  return {
    list: () => fetch(base, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" }),
    async threads(): Promise<ThreadView[]> {
      const res = await this.list();
      if (res.status !== 200) throw new Error(`list answered ${res.status}`);
      return ((await res.json()) as CommentsPayload).threads;
    },
    create: (anchor: EncodedAnchor, body: string) => post("", { anchorStart: anchor.start, anchorEnd: anchor.end, body }),
    reply: (threadId: string, body: string) => post(`/${threadId}`, { intent: "reply", body }),
    resolve: (threadId: string) => post(`/${threadId}`, { intent: "resolve" }),
    reopen: (threadId: string) => post(`/${threadId}`, { intent: "reopen" }),
    reanchor: (threadId: string, anchor: EncodedAnchor) => post(`/${threadId}`, { intent: "reanchor", anchorStart: anchor.start, anchorEnd: anchor.end }),
    edit: (threadId: string, commentId: string, body: string) => post(`/${threadId}/${commentId}`, { intent: "edit", body }),
    remove: (threadId: string, commentId: string) => post(`/${threadId}/${commentId}`, { intent: "delete" }),
    post,
  };
}

/** The ProseMirror range of the first occurrence of `needle` inside one text node. */
export function findText(pmDoc: PMNode, needle: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null;
  pmDoc.descendants((node, pos) => {
    if (found) return false;
    if (node.isText && node.text!.includes(needle)) {
      const from = pos + node.text!.indexOf(needle);
      found = { from, to: from + needle.length };
    }
    return !found;
  });
  if (!found) throw new Error(`"${needle}" not found in the document`);
  return found;
}

/** Anchor for `needle` computed from a client's Y.Doc, as the browser does from its selection. */
export function anchorFor(doc: Y.Doc, needle: string): EncodedAnchor {
  const body = bodyDocument(doc);
  const range = findText(body.pmDoc, needle);
  return encodeAnchor(body.fragment, body.mapping, range.from, range.to);
}

/** A thread's current text in a client's Y.Doc (null when detached), with the shared resolve function. */
export function anchoredText(doc: Y.Doc, thread: ThreadView): string | null {
  const decoded = decodeStoredAnchor(Buffer.from(thread.anchorStart, "base64"), Buffer.from(thread.anchorEnd, "base64"));
  if (!decoded) throw new Error("stored anchor does not decode");
  const body = bodyDocument(doc);
  const range = resolveAnchor(body.fragment, body.mapping, decoded);
  return range ? rangeText(body.pmDoc, range) : null;
}

export async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
