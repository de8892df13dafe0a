import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../extensions";

/**
 * The body a new briefing starts with, written once by the server when the briefing is created
 * (never by a client, or two clients that open it at once would each insert it).
 */
export function buildTemplateDocument(summitName: string): Uint8Array {
  const h = (level: number, text: string) => ({ type: "heading", attrs: { level }, content: [{ type: "text", text }] });
  const p = (text: string) => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] });
  const json = {
    type: "doc",
    content: [
      h(2, "Purpose"),
      p(`What the delegation wants from ${summitName}.`),
      h(2, "Background"),
      p(""),
      h(2, "Agenda"),
      p("Add agenda topics with the toolbar or by typing / in an empty line."),
      h(2, "Key figures"),
      p(""),
    ],
  };
  return Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(getBriefingSchema(), json, COLLAB_FIELD));
}
