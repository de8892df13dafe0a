import { contentHash } from "./content-hash";
import { updateToJSON } from "./document-json";
import { PdfExportError } from "./errors";
import type { PMNode } from "./model";
import { withSuggestionMarkup } from "./suggestion-markup";
import { stateOfFrames } from "./update-frames";
import type { RenderJob } from "./worker-protocol";

/**
 * The body to print and, when asked, the hash of the body as it is stored (without the markup).
 * Run by the PDF render process and the Word / Markdown thread alike: everything here reads the
 * whole document, which the server's event loop must not (ADR 0407, 0408).
 */
export function readJob(job: RenderJob): { doc: PMNode; hash?: string } {
  const update = jobUpdate(job);
  const marked = update && job.markup?.length ? withSuggestionMarkup(update, job.markup) : null;
  const plain = marked && !job.hashFields ? null : (job.doc ?? (update ? updateToJSON(update) : null));
  const doc = marked ? updateToJSON(marked) : plain;
  if (!doc) throw new PdfExportError("no_document", "Nothing to export: the job carried no document.");
  return { doc, hash: job.hashFields && plain ? contentHash(plain, job.hashFields) : undefined };
}

/** One update for the body: `update` as sent, or the framed `updates` applied here (update-frames.ts). */
function jobUpdate(job: RenderJob): Uint8Array | null {
  return job.update ?? (job.updates ? stateOfFrames(job.updates) : null);
}
