export { exportLayer } from "./layer";
export { createPdfService, type PdfService } from "./service";
export { PdfExportError, type PdfErrorCode } from "./errors";
export type { ExportModel, ExportBlock } from "./model-types";
