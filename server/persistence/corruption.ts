/** Which part of a briefing's stored document failed verification. */
export type CorruptionKind = "snapshot" | "log" | "missing" | "history";

/** Stable code of StoredDocumentCorruptError; match on it, not on the class (see below). */
export const STORED_DOCUMENT_CORRUPT = "stored_document_corrupt";

/** What pages and exports tell the reader; the log line carries the details. */
export const CORRUPT_DOCUMENT_MESSAGE =
  "This briefing's stored document is damaged, so it cannot be opened or exported. An administrator must restore it from a backup; nothing has been written over it.";

/**
 * The stored bytes of a briefing failed verification: a checksum mismatch, a row whose checksum was
 * never computed, or content the briefing row says exists and is gone. Readers refuse the document
 * (WebSocket 4510, HTTP 503) and leave the bytes untouched so they can be restored or examined.
 */
export class StoredDocumentCorruptError extends Error {
  readonly code = STORED_DOCUMENT_CORRUPT;
  readonly httpStatus = 503;

  constructor(
    readonly briefingId: string,
    readonly kind: CorruptionKind,
    readonly detail: string,
  ) {
    super(`stored document of briefing ${briefingId} is damaged (${kind}): ${detail}`);
    this.name = "StoredDocumentCorruptError";
  }
}

/**
 * Matches by `code`, not `instanceof`: the Remix bundle carries its own copy of server modules, so
 * an error thrown by the server's document store is not an instance of the bundle's class.
 */
export function isStoredDocumentCorrupt(err: unknown): err is StoredDocumentCorruptError {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === STORED_DOCUMENT_CORRUPT;
}
