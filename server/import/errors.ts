/** Why a Word document was refused; `status` is the HTTP status the import form answers with. */
export type ImportErrorCode =
  | "no-file"
  | "too-large"
  | "not-docx"
  | "encrypted"
  | "zip-bomb"
  | "unreadable"
  | "timeout"
  | "busy"
  | "document-too-large";

const STATUS: Record<ImportErrorCode, number> = {
  "no-file": 400,
  "too-large": 413,
  "not-docx": 415,
  encrypted: 422,
  "zip-bomb": 422,
  unreadable: 422,
  timeout: 422,
  busy: 503,
  "document-too-large": 413,
};

/** A refused import, with a message a desk officer can act on (shown on the form). */
export class ImportError extends Error {
  readonly status: number;
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ImportError";
    this.status = STATUS[code];
  }
}

/** Matched by `code` as well as class: the worker thread sends errors as plain objects. */
export function isImportError(err: unknown): err is ImportError {
  return err instanceof ImportError || (typeof err === "object" && err !== null && (err as { name?: unknown }).name === "ImportError");
}

export const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
