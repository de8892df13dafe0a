import type { ServerLayer } from "../start";
import { createPdfService, type PdfService } from "./service";

/** Mounts PDF export: a pool of render processes offered to loaders as `context.services.pdf`. */
export function exportLayer(): ServerLayer {
  let service: PdfService | undefined;
  return {
    name: "export",
    attach(ctx) {
      service = createPdfService(ctx.config, ctx.logger);
      ctx.services.pdf = service;
    },
    async close() {
      await service?.close();
    },
  };
}
