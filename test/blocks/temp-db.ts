import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { seedDemo } from "../../server/seed/demo";
import { openSqliteStore } from "../../db/store";
import { createSqliteDocumentStore } from "../../server/persistence/document-store";

/** A fresh migrated SQLite file with the demo team, users, briefing and fact library. */
export async function seededTempDatabase(): Promise<{ db: Db; dispose(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-blocks-"));
  const db = openDatabase(path.join(dir, "db.sqlite"));
  migrateDatabase(db);
  await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
  return {
    db,
    dispose() {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
