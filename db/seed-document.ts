import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../extensions";

type JSONNode = { type: string; attrs?: Record<string, unknown>; content?: JSONNode[]; text?: string };

const text = (t: string): JSONNode => ({ type: "text", text: t });
const paragraph = (t: string): JSONNode => ({ type: "paragraph", content: t ? [text(t)] : [] });
const heading = (level: number, t: string): JSONNode => ({ type: "heading", attrs: { level }, content: [text(t)] });

/** ProseMirror JSON of the demo Ankara briefing, drawn from the sample article. */
export function seedDocumentJSON(article: string): JSONNode {
  const paragraphs = article
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const [headline, ...body] = paragraphs;
  return {
    type: "doc",
    content: [
      heading(1, "Kazakhstan–Türkiye presidential summit, Ankara"),
      paragraph(
        "Purpose: prepare the delegation for the meeting of presidents in Ankara, building on the foreign ministers' talks.",
      ),
      heading(2, "Background"),
      paragraph(`Source article: “${headline}”.`),
      ...body.map(paragraph),
    ],
  };
}

/** The demo briefing body as a Yjs update, created once on the server. */
export function buildSeedDocument(article: string): Uint8Array {
  const doc = prosemirrorJSONToYDoc(getBriefingSchema(), seedDocumentJSON(article), COLLAB_FIELD);
  return Y.encodeStateAsUpdate(doc);
}
