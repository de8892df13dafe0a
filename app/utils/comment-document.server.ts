import type { AppLoadContext } from "@remix-run/node";
import type { Node as PMNode } from "@tiptap/pm/model";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { resolveAnchor, type DecodedAnchor, type ResolvedRange, type YMapping } from "../comments/anchor";
import { readStoredDocument } from "./stored-document.server";

/**
 * The server's copy of a briefing body, as y-tiptap would bind it to an editor: the Y fragment,
 * the ProseMirror document and the mapping between them, so anchors resolve exactly as in the
 * browser (app/comments/anchor.ts).
 */
export interface BodyDocument {
  ydoc: Y.Doc;
  fragment: Y.XmlFragment;
  pmDoc: PMNode;
  mapping: YMapping;
  resolve(anchor: DecodedAnchor): ResolvedRange;
  /** True when a position names an edit this copy has not received yet (the client is ahead). */
  isAhead(anchor: DecodedAnchor): boolean;
}

/** Runs `fn` on a detached copy of the briefing's current body (live room or storage), then frees it. */
export async function withBodyDocument<T>(context: AppLoadContext, briefingId: string, fn: (body: BodyDocument) => T): Promise<T> {
  const collab = context.services.collab;
  if (!collab) throw new Response("The collaboration service is not running, so the document cannot be read.", { status: 503 });
  const ydoc = await readStoredDocument(() => collab.getDocument(briefingId));
  try {
    return fn(bodyDocument(ydoc));
  } finally {
    ydoc.destroy();
  }
}

/** Binds a Y.Doc (which may be modified by invalid-content repair in y-tiptap: pass a copy). */
export function bodyDocument(ydoc: Y.Doc): BodyDocument {
  const fragment = ydoc.getXmlFragment(COLLAB_FIELD);
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, getBriefingSchema());
  const ahead = (rel: Y.RelativePosition) => {
    const id = rel.item ?? rel.type;
    return id !== null && Y.getState(ydoc.store, id.client) <= id.clock;
  };
  return {
    ydoc,
    fragment,
    pmDoc,
    mapping: mapping as YMapping,
    resolve: (anchor) => resolveAnchor(fragment, mapping as YMapping, anchor),
    isAhead: (anchor) => ahead(anchor.start) || ahead(anchor.end),
  };
}

/** Decodes stored anchor blobs; null when they are corrupt. */
export function decodeStoredAnchor(start: Uint8Array, end: Uint8Array): DecodedAnchor | null {
  try {
    return { start: Y.decodeRelativePosition(start), end: Y.decodeRelativePosition(end) };
  } catch {
    return null;
  }
}
