import type { AppLoadContext } from "@remix-run/node";
import { ImportError, isImportError, megabytes } from "../../server/import/errors";

export { isImportError };

/**
 * Reads the uploaded file of the import form and converts it in a conversion thread. Rejects with
 * ImportError (status and message for the form) for a missing, oversized or refused file, and
 * before anything is stored: the caller creates the briefing only from a converted body.
 */
export async function convertUploadedDocx(context: AppLoadContext, file: FormDataEntryValue | null): Promise<Uint8Array> {
  const max = context.config.IMPORT_MAX_BYTES;
  if (!file || typeof file === "string" || file.size === 0) throw new ImportError("no-file", "Choose a Word document (.docx) to import.");
  if (file.size > max) throw new ImportError("too-large", `This file is ${megabytes(file.size)}; Word documents of at most ${megabytes(max)} can be imported.`);
  const service = context.services.docxImport;
  if (!service) throw new ImportError("busy", "Word import is not available right now.");
  const { state } = await service.convert(new Uint8Array(await file.arrayBuffer()));
  if (state.byteLength > context.config.COLLAB_MAX_DOCUMENT_BYTES) {
    throw new ImportError("document-too-large", `Converted, this document is ${megabytes(state.byteLength)}, more than a briefing may hold (${megabytes(context.config.COLLAB_MAX_DOCUMENT_BYTES)}).`);
  }
  return state;
}
