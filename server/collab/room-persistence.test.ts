import path from "node:path";
import Database from "better-sqlite3";
import * as Y from "yjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storedChecksum } from "../../db/checksum";
import { openDatabase, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { DEMO_BRIEFING_ID, seedDemo } from "../seed/demo";
import { openSqliteStore } from "../../db/store";
import { recordingMetrics } from "../../test/helpers/collab-metrics";
import { tempDir } from "../../test/helpers/server";
import { eventually } from "../../test/helpers/yclient";
import { createLogger } from "../logger";
import { createSqliteDocumentStore, type DocumentStore } from "../persistence/document-store";
import { RoomPersistence } from "./room-persistence";

const logger = createLogger("silent");
let db: Db;
let file: string;
let store: DocumentStore;

beforeEach(async () => {
  file = path.join(tempDir(), "store.db");
  db = openDatabase(file);
  migrateDatabase(db);
  await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
  store = createSqliteDocumentStore(db);
});
afterEach(() => db.$client.close());

async function loadDoc(): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const u of (await store.load(DEMO_BRIEFING_ID)).updates) Y.applyUpdate(doc, u);
  return doc;
}

/** A live document whose updates are queued like a room's. */
async function liveRoom(compactAfter = 1000) {
  const doc = await loadDoc();
  const stored = await store.load(DEMO_BRIEFING_ID);
  const { metrics, counts } = recordingMetrics();
  const p = new RoomPersistence(DEMO_BRIEFING_ID, store, { flushMs: 10, compactAfter, metrics }, logger, () => Y.encodeStateAsUpdate(doc), stored.logLength, stored.bytes);
  doc.on("update", (u: Uint8Array) => p.enqueue(u, "demo-editor"));
  return { doc, p, counts };
}

describe("document store and room persistence (real SQLite)", () => {
  it("appends updates in one batch per tick, records the last editor, and loads snapshot + log", async () => {
    const { doc, p, counts } = await liveRoom();
    for (let i = 0; i < 5; i++) doc.getText("t").insert(0, `${i}`);
    expect(p.pendingCount).toBe(5);
    await eventually(() => expect(p.pendingCount).toBe(0), 10_000);
    expect(counts.updatesStored).toBe(5);
    expect((await store.load(DEMO_BRIEFING_ID)).logLength).toBe(5);
    expect((await loadDoc()).getText("t").toString()).toBe("43210");
    const row = db.$client.prepare("select last_edited_by from briefings where id = ?").get(DEMO_BRIEFING_ID) as { last_edited_by: string };
    expect(row.last_edited_by).toBe("demo-editor");
    p.dispose();
  });

  it("folds the log into the snapshot after COLLAB_COMPACT_AFTER_UPDATES rows", async () => {
    const { doc, p, counts } = await liveRoom(10);
    for (let i = 0; i < 12; i++) doc.getText("t").insert(0, "x");
    expect(await p.flush()).toBe(true);
    expect(counts.compacted).toBe(1);
    const stored = await store.load(DEMO_BRIEFING_ID);
    expect(stored.logLength).toBe(0);
    expect(stored.updates).toHaveLength(1);
    expect((await loadDoc()).getText("t").toString()).toBe("x".repeat(12));
    expect(Y.encodeStateAsUpdate(await loadDoc())).toEqual(Y.encodeStateAsUpdate(doc));
    p.dispose();
  });

  it("keeps updates while the database refuses writes and stores them on a later tick", async () => {
    db.$client.pragma("busy_timeout = 0");
    const { doc, p, counts } = await liveRoom();
    const blocker = new Database(file);
    blocker.exec("begin immediate"); // holds the write lock: appends fail with SQLITE_BUSY
    let drained = 0;
    p.onDrained = () => drained++;
    doc.getText("t").insert(0, "kept");
    expect(await p.flush()).toBe(false);
    expect(p.pendingCount).toBe(1);
    // The retry on a later tick fails too, and the update is still kept.
    await eventually(() => expect(counts.storeFailed).toBeGreaterThanOrEqual(2), 10_000);
    expect(p.pendingCount).toBe(1);
    expect(drained).toBe(0);
    blocker.exec("rollback");
    blocker.close();
    await eventually(() => expect(p.pendingCount).toBe(0), 10_000);
    expect(drained).toBe(1);
    expect((await loadDoc()).getText("t").toString()).toBe("kept");
    p.dispose();
  });

  it("refuses to load bytes that are not Yjs instead of returning an empty document", async () => {
    const garbage = Buffer.from([0xff, 0xff]);
    db.$client.prepare("update document_snapshots set state = ?, checksum = ? where briefing_id = ?").run(garbage, storedChecksum(garbage), DEMO_BRIEFING_ID);
    await expect(loadDoc()).rejects.toThrow();
  });
});
