import { openDatabase, type Db } from "../../db/client";
import { seededDatabase } from "../helpers/stores";

/**
 * A fresh migrated SQLite file with the demo team, users, briefing and fact library, as a raw
 * better-sqlite3 connection for the SQLite-only projection tests (query plans, the projection
 * thread's own connection). Suites that hold on both databases use seededDatabase() instead.
 */
export async function seededTempDatabase(): Promise<{ db: Db; dispose(): void }> {
  const seeded = await seededDatabase({ name: "sqlite" });
  const db = openDatabase(seeded.databasePath);
  return { db, dispose: () => db.$client.close() };
}
