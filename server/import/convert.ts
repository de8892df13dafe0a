import mammoth from "mammoth";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { ImportError } from "./errors";
import { htmlToDocument } from "./html-to-doc";
import { inspectDocx, type ZipLimits } from "./inspect";

/**
 * Word styles mammoth does not map by itself. Quote and Intense Quote become quote blocks (see
 * html-to-doc.ts); Title and Subtitle the top headings; underline is kept (mammoth drops it by default).
 */
const STYLE_MAP = [
  "p[style-name='Quote'] => p.word-quote:fresh",
  "p[style-name='Intense Quote'] => p.word-quote:fresh",
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => h2:fresh",
  "u => u",
];

/** Images are dropped without being read, so a linked one (a file path or URL) is never opened. */
const dropImages = mammoth.images.imgElement(() => Promise.resolve({ src: "" }));

export interface ConvertedDocx {
  /** Y.encodeStateAsUpdate of the new briefing body. */
  state: Uint8Array;
  /** What the conversion had to leave out, for the log. */
  warnings: number;
}

/**
 * A .docx to the Yjs state of a briefing body. Checks the zip first (inspect.ts); macros
 * (word/vbaProject.bin) are never read, external relationships never fetched (`externalFileAccess`
 * off), a style map embedded in the file is ignored.
 */
export async function convertDocx(bytes: Uint8Array, limits: ZipLimits): Promise<ConvertedDocx> {
  await inspectDocx(bytes, limits);
  let html: string;
  let warnings: number;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { styleMap: STYLE_MAP, includeEmbeddedStyleMap: false, externalFileAccess: false, convertImage: dropImages },
    );
    html = result.value;
    warnings = result.messages.length;
  } catch {
    throw new ImportError("unreadable", "This Word document could not be read. Open it in Word, save it again as .docx and import it again.");
  }
  const json = htmlToDocument(html);
  const schema = getBriefingSchema();
  // Throws if the converter ever produced something the schema does not allow.
  schema.nodeFromJSON(json).check();
  const state = Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(schema, json, COLLAB_FIELD));
  return { state, warnings };
}
