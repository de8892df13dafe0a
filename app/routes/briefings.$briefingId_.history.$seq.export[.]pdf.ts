import type { LoaderFunctionArgs } from "@remix-run/node";
import { PdfExportError } from "../../server/export/errors";
import { recordExport } from "../utils/audit.server";
import { briefingFields } from "../utils/content-hash.server";
import { requireExportAccess } from "../utils/export-access.server";
import { pdfFileName } from "../utils/export.server";
import { historyExportInfo, parseSeq, requireHistory, requireVersion, versionState } from "../utils/history.server";

/**
 * GET /briefings/:briefingId/history/:seq/export.pdf — one version of the history as PDF, through
 * the same render processes, for whoever the team's export policy allows (403 for the others).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, briefing } = await requireExportAccess(request, params, context);
  const pdfService = context.services.pdf;
  if (!pdfService) return new Response("PDF export is not available on this server.", { status: 503 });
  const history = requireHistory(context);
  const seq = parseSeq(params.seq);
  const v = await requireVersion(history, briefing, seq);
  const update = await versionState(history, briefing, seq);
  const info = await historyExportInfo(context, briefing, v);
  try {
    // The render process also hashes the version's body: reading a whole brief stays off the event loop (ADR 0407).
    const { pdf, contentHash } = await pdfService.render({ update, info, key: briefing.id, hashFields: briefingFields(briefing) });
    if (!contentHash) throw new PdfExportError("compile_failed", "The PDF renderer did not return the version's content hash; try again.");
    await recordExport(context, { briefing, user, format: "pdf", version: v.finalVersion, contentHash });
    return new Response(new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength), {
      status: 200,
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${pdfFileName(info.title, `history-${seq}`)}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (err) {
    if (err instanceof PdfExportError) return new Response(err.message, { status: err.httpStatus, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw err;
  }
}
