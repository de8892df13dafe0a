import type { ServerLayer } from "../start";
import { createDocumentService, type DocumentService } from "./document-service";
import { createPdfService, type PdfService } from "./service";

/**
 * Mounts export: a pool of PDF render processes as `context.services.pdf`, and the Word/Markdown
 * thread as `context.services.documents`.
 */
export function exportLayer(): ServerLayer {
  let service: PdfService | undefined;
  let documents: DocumentService | undefined;
  return {
    name: "export",
    attach(ctx) {
      service = createPdfService(ctx.config, ctx.logger);
      ctx.services.pdf = service;
      documents = createDocumentService(ctx.config, ctx.logger);
      ctx.services.documents = documents;
    },
    async close() {
      await Promise.all([service?.close(), documents?.close()]);
    },
  };
}
