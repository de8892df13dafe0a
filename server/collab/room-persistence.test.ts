import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import * as Y from "yjs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { storedChecksum } from "../../db/checksum";
import { exec, first, rows, type Store } from "../../db/store";
import { recordingMetrics } from "../../test/helpers/collab-metrics";
import { testDialects, type TestStore } from "../../test/helpers/stores";
import { eventually } from "../../test/helpers/yclient";
import { createLogger } from "../logger";
import type { DocumentStore } from "../persistence/document-store";
import { openDocumentStore } from "../persistence/document-stores";
import { RoomPersistence } from "./room-persistence";

const logger = createLogger("silent");

/**
 * Makes the database refuse the room's appends until the returned function is called, the way each
 * dialect does in practice. SQLite: another connection holds the write lock (SQLITE_BUSY, as
 * another instance on the file would, with no busy wait). PostgreSQL: a trigger fails every insert
 * into the update log, as a database that is failing writes would.
 */
async function refuseWrites(store: Store): Promise<() => Promise<void>> {
  if (store.dialect === "sqlite") {
    store.db.$client.pragma("busy_timeout = 0");
    const blocker = new Database(store.db.$client.name);
    blocker.exec("begin immediate");
    return async () => {
      blocker.exec("rollback");
      blocker.close();
    };
  }
  await rows(store, sql.raw("create function refuse_update_log() returns trigger language plpgsql as $$ begin raise exception 'update log refused by test'; end $$"));
  await rows(store, sql.raw("create trigger refuse_update_log before insert on document_updates for each statement execute function refuse_update_log()"));
  return async () => {
    await rows(store, sql.raw("drop trigger refuse_update_log on document_updates"));
    await rows(store, sql.raw("drop function refuse_update_log()"));
  };
}

const EDITOR = "user-room-persistence";
let briefings = 0;

/** A briefing of its own for each case, with a stored first body, as creating one leaves it. */
async function newBriefing(store: Store, documents: DocumentStore): Promise<string> {
  const id = `room-persistence-${++briefings}`;
  const now = new Date();
  await exec(store, (db, t) =>
    db.insert(t.briefings).values({ id, teamId: "team-room-persistence", title: id, summitName: "S", city: "Astana", startDate: "2027-01-01", endDate: "2027-01-02", classification: "UNCLASSIFIED", createdAt: now, updatedAt: now, lastEditedAt: now }),
  );
  const first = new Y.Doc();
  first.getText("title").insert(0, id);
  await documents.create(id, Y.encodeStateAsUpdate(first));
  return id;
}

/** Room persistence over the document store of a migrated SQLite file and of a migrated PostgreSQL database (ADR 0111). */
for (const dialect of testDialects()) {
  describe.skipIf(!dialect.available)(`document store and room persistence (real ${dialect.name})`, () => {
    let ts: TestStore;
    let store: Store;
    let documents: DocumentStore;
    let id: string;

    beforeAll(async () => {
      ts = await dialect.open();
      store = ts.store;
      documents = openDocumentStore(store);
      const now = new Date();
      await exec(store, (db, t) => db.insert(t.teams).values({ id: "team-room-persistence", name: "Desk", createdAt: now }));
      await exec(store, (db, t) => db.insert(t.users).values({ id: EDITOR, email: "room-persistence@example.test", name: "Editor", passwordHash: "x", color: "#123456", createdAt: now }));
    });
    beforeEach(async () => {
      id = await newBriefing(store, documents);
    });
    afterAll(async () => ts?.close());

    async function loadDoc(): Promise<Y.Doc> {
      const doc = new Y.Doc();
      for (const u of (await documents.load(id)).updates) Y.applyUpdate(doc, u);
      return doc;
    }

    /** A live document whose updates are queued like a room's. */
    async function liveRoom(compactAfter = 1000) {
      const doc = await loadDoc();
      const stored = await documents.load(id);
      const { metrics, counts } = recordingMetrics();
      const p = new RoomPersistence(id, documents, { flushMs: 10, compactAfter, metrics }, logger, () => Y.encodeStateAsUpdate(doc), stored.logLength, stored.bytes);
      doc.on("update", (u: Uint8Array) => p.enqueue(u, EDITOR));
      return { doc, p, counts };
    }

    it("appends updates in one batch per tick, records the last editor, and loads snapshot + log", async () => {
      const { doc, p, counts } = await liveRoom();
      for (let i = 0; i < 5; i++) doc.getText("t").insert(0, `${i}`);
      expect(p.pendingCount).toBe(5);
      await eventually(() => expect(p.pendingCount).toBe(0), 10_000);
      expect(counts.updatesStored).toBe(5);
      expect((await documents.load(id)).logLength).toBe(5);
      expect((await loadDoc()).getText("t").toString()).toBe("43210");
      const row = first(await exec(store, (db, t) => db.select({ lastEditedBy: t.briefings.lastEditedBy }).from(t.briefings).where(eq(t.briefings.id, id))));
      expect(row?.lastEditedBy).toBe(EDITOR);
      p.dispose();
    });

    it("folds the log into the snapshot after COLLAB_COMPACT_AFTER_UPDATES rows", async () => {
      const { doc, p, counts } = await liveRoom(10);
      for (let i = 0; i < 12; i++) doc.getText("t").insert(0, "x");
      expect(await p.flush()).toBe(true);
      expect(counts.compacted).toBe(1);
      const stored = await documents.load(id);
      expect(stored.logLength).toBe(0);
      expect(stored.updates).toHaveLength(1);
      expect((await loadDoc()).getText("t").toString()).toBe("x".repeat(12));
      expect(Y.encodeStateAsUpdate(await loadDoc())).toEqual(Y.encodeStateAsUpdate(doc));
      p.dispose();
    });

    it("keeps updates while the database refuses writes and stores them on a later tick", async () => {
      const { doc, p, counts } = await liveRoom();
      const allowWrites = await refuseWrites(store);
      let drained = 0;
      p.onDrained = () => drained++;
      doc.getText("t").insert(0, "kept");
      expect(await p.flush()).toBe(false);
      expect(p.pendingCount).toBe(1);
      // The retry on a later tick fails too, and the update is still kept.
      await eventually(() => expect(counts.storeFailed).toBeGreaterThanOrEqual(2), 10_000);
      expect(p.pendingCount).toBe(1);
      expect(drained).toBe(0);
      await allowWrites();
      await eventually(() => expect(p.pendingCount).toBe(0), 10_000);
      expect(drained).toBe(1);
      expect((await loadDoc()).getText("t").toString()).toBe("kept");
      p.dispose();
    });

    it("refuses to load bytes that are not Yjs instead of returning an empty document", async () => {
      const garbage = Buffer.from([0xff, 0xff]);
      await exec(store, (db, t) => db.update(t.documentSnapshots).set({ state: garbage, checksum: storedChecksum(garbage) }).where(eq(t.documentSnapshots.briefingId, id)));
      await expect(loadDoc()).rejects.toThrow();
    });
  });
}
