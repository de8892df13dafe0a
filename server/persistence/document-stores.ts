import type { Store } from "../../db/store";
import type { StoredDocumentCorruptError } from "./corruption";
import { createSqliteDocumentStore, type DocumentStore } from "./document-store";
import { createPgDocumentStore } from "./pg-document-store";

export interface DocumentStoreOptions {
  /** Told about every refused load (before it throws), to log and count it once for all readers. */
  onCorrupt?(err: StoredDocumentCorruptError): void;
  /**
   * SQLite only: other instances write the same file (docs/decisions/0109), so a compaction merges
   * the stored rows. The PostgreSQL store always does, under its lock (ADR 0111, 0115).
   */
  shared?: boolean;
}

/** The document store of the database the server opened: SQLite's prepared statements or PostgreSQL's locks. */
export function openDocumentStore(store: Store, options: DocumentStoreOptions = {}): DocumentStore {
  if (store.dialect === "pg") return createPgDocumentStore(store.db, { onCorrupt: options.onCorrupt });
  return createSqliteDocumentStore(store.db, options);
}
