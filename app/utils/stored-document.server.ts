import type { AppLoadContext } from "@remix-run/node";
import { isHistoryUnavailable } from "../../server/history/errors";
import { CORRUPT_DOCUMENT_MESSAGE, isStoredDocumentCorrupt } from "../../server/persistence/corruption";
import { notFound, serviceUnavailable } from "./errors";

/**
 * Runs a read of a briefing's stored document and turns a damaged one into a 503 with a message
 * a desk officer can act on (the store has already logged it with the briefing id). Matched by the
 * error's `code`: the collab service runs in the server's copy of the modules, this bundle has its
 * own, so `instanceof StoredDocumentCorruptError` would be false here.
 */
export async function readStoredDocument<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (isStoredDocumentCorrupt(err)) throw storedDocumentDamaged();
    // A history thread that was busy, crashed or overran its time (server/history/pool.ts).
    if (isHistoryUnavailable(err)) throw serviceUnavailable(err.message);
    if (isNotEditable(err)) throw err.reason === "final" ? new Response(err.message, { status: 409, statusText: "Conflict" }) : notFound("Briefing");
    throw err;
  }
}

export function storedDocumentDamaged(): Response {
  return serviceUnavailable(CORRUPT_DOCUMENT_MESSAGE);
}

/** For routes that show a briefing without reading its body: 503 when its stored document is damaged. */
export async function verifyStoredDocument(context: AppLoadContext, briefingId: string): Promise<void> {
  const collab = context.services.collab;
  if (collab) await readStoredDocument(() => collab.verifyStored(briefingId));
}

/** A server-side change refused because the briefing became final or was deleted (server/collab/rooms.ts). */
function isNotEditable(err: unknown): err is { reason: "final" | "deleted"; message: string } {
  return err instanceof Error && (err as { code?: unknown }).code === "BRIEFING_NOT_EDITABLE";
}
