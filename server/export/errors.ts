/** Why an export failed, as a stable code plus a message a desk officer can act on. */
export type PdfErrorCode =
  | "missing_glyph"
  | "compile_failed"
  | "font_problem"
  | "timeout"
  | "worker_crashed"
  | "busy"
  | "closed"
  | "no_document";

export class PdfExportError extends Error {
  constructor(
    readonly code: PdfErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PdfExportError";
  }

  /** The HTTP status an export route answers with. */
  get httpStatus(): number {
    if (this.code === "missing_glyph") return 422;
    if (this.code === "busy" || this.code === "closed") return 503;
    if (this.code === "timeout") return 504;
    return 500;
  }
}
