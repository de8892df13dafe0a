import type { AppLoadContext } from "@remix-run/node";
import type { Briefing } from "../../db/schema";
import type { DocumentFormat } from "../../server/export/document-service";
import { PdfExportError } from "../../server/export/errors";
import { recordExport } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { draftContentHash } from "./content-hash.server";
import { exportFileName, exportSource, withOpenSuggestions } from "./export.server";

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
  const job = options.suggestionMarkup && !stored ? await withOpenSuggestions(context, briefing, source.job) : source.job;

  const fields = { briefingId: briefing.id, userId: user.id, version: stored?.version ?? null, format };
  try {
    const { bytes, ms } = await documents.render({ ...job, format });
    await recordExport(context, { briefing, user, format, version: stored?.version ?? null, contentHash: stored?.contentHash ?? draftContentHash(briefing, source.job.update!) });
    context.logger.info("export", "document exported", { ...fields, ms: Math.round(ms), bytes: bytes.length });
    const name = exportFileName(job.info.title, stored ? `v${stored.version}` : `draft-${job.info.exportedAt.toISOString().slice(0, 10)}`, format);
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
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
