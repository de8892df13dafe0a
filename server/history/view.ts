import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Blocks } from "../../app/utils/version-blocks";
import { updateToJSON } from "../export/document-json";
import { buildExportModel, type ExportInfo } from "../export/model";
import { utf8, type Payload } from "./payload";

/**
 * A version's body as the version page shows it: the export model's blocks as HTML. The only job
 * of a history thread that needs the editor schema (Tiptap) and React, so the engine imports this
 * module when a version is first viewed, not when the thread starts (docs/decisions/0110, 2026-12-03
 * second section): every thread's start, and with it the first compare after a server start, is
 * shorter by their loading.
 */
export function versionView(state: Uint8Array, info: ExportInfo): Payload {
  return utf8(renderToStaticMarkup(createElement(Blocks, { blocks: buildExportModel(updateToJSON(state), info).blocks })));
}
