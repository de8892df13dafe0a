import * as Y from "yjs";

/**
 * A Y.Doc for the server's own reading and building of state. `new Y.Doc()` draws a random guid
 * through 31 calls of crypto.getRandomValues, about 75 µs on the benchmark machine against 3 µs
 * for the rest of the constructor; a guid only names a document embedded as a subdocument, which
 * no document the server builds is. Opening, projecting and versioning one briefing built a handful
 * of documents (docs/decisions/0210-server-documents-take-a-guid.md).
 */
export function serverDoc(guid = "summit-desk"): Y.Doc {
  return new Y.Doc({ guid });
}
