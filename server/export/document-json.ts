import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import type { PMNode } from "./model";
import { serverDoc } from "../yjs-doc";

/** A briefing body as ProseMirror JSON, read through the shared schema (never through node views). */
export function documentJSON(doc: Y.Doc): PMNode {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(COLLAB_FIELD), getBriefingSchema()).toJSON() as PMNode;
}

/** The same, from a stored Yjs update (a version snapshot or a live document's state). */
export function updateToJSON(update: Uint8Array): PMNode {
  const doc = serverDoc();
  try {
    Y.applyUpdate(doc, update);
    return documentJSON(doc);
  } finally {
    doc.destroy();
  }
}
