import type { AppLoadContext } from "@remix-run/node";
import type { Briefing } from "../../db/schema";
import type { DocumentFormat } from "../../server/export/document-service";
import { PdfExportError } from "../../server/export/errors";
import { recordExport } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { briefingFields } from "./content-hash.server";
import { exportFileName, exportSource, withOpenSuggestionsListed } from "./export.server";

const TYPES: Record<DocumentFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
};

/**
 * The Word or Markdown response for a briefing: the same source as the PDF (a stored final version,
 * or the live document marked DRAFT), written in the export thread off the event loop. With
 * `suggestionMarkup`, a draft carries its open suggestions: Word as tracked changes, Markdown as CriticMarkup.
 */
export async function exportBriefingDocument(
  context: AppLoadContext,
  briefing: Briefing,
  user: CurrentUser,
  requested: number | null,
  format: DocumentFormat,
  options: { suggestionMarkup?: boolean } = {},
): Promise<Response> {
  const documents = context.services.documents;
  if (!documents) return new Response("Word and Markdown export is not available on this server.", { status: 503 });
  const source = await exportSource(context, briefing, requested);
  const { stored } = source;
  // As in the PDF: suggestions are part of a draft only; a stored final version prints as frozen.
  // The thread reads the state, writes the markup in and hashes the draft for the audit trail: for
  // a 50-page brief that is 15-40 ms of CPU the event loop no longer spends (ADR 0408).
  const draft = stored ? source.job : { ...source.job, hashFields: briefingFields(briefing) };
  const job = options.suggestionMarkup && !stored ? await withOpenSuggestionsListed(context, briefing, draft) : draft;

  const fields = { briefingId: briefing.id, userId: user.id, version: stored?.version ?? null, format };
  try {
    const { bytes, ms, contentHash } = await documents.render({ ...job, format });
    const hash = stored?.contentHash ?? contentHash;
    if (!hash) throw new PdfExportError("compile_failed", "The export thread did not return the draft's content hash; try again.");
    await recordExport(context, { briefing, user, format, version: stored?.version ?? null, contentHash: hash });
    context.logger.info("export", "document exported", { ...fields, ms: Math.round(ms), bytes: bytes.length });
    const name = exportFileName(job.info.title, stored ? `v${stored.version}` : `draft-${job.info.exportedAt.toISOString().slice(0, 10)}`, format);
    // A stream of the one buffer, as for the PDF: a Uint8Array body is copied by the Response constructor.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": TYPES[format],
        "Content-Disposition": `attachment; filename="${name}"`,
        "Content-Length": String(bytes.length),
        "Cache-Control": "private, no-store",
      },
    });
  } catch (err) {
    if (err instanceof PdfExportError) {
      context.logger.warn("export", "document export failed", { ...fields, code: err.code });
      return new Response(err.message, { status: err.httpStatus, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw err;
  }
}
