import * as Y from "yjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { openSqliteStore } from "../../db/store";
import { createVersionStore } from "../../server/history/version-store";
import { createSqliteDocumentStore, type DocumentStore } from "../../server/persistence/document-store";
import { insertSqliteBriefing, sqliteDatabase, USER_ID } from "../helpers/document-stores";
import { holdWriteLock } from "../helpers/sqlite-lock";

/**
 * Every native SQLite transaction that writes waits its turn while another connection holds the
 * write lock (the projection and history threads write to the same file). A deferred one that reads
 * first fails at once with SQLITE_BUSY instead: that answered a briefing creation with 503 in CI,
 * while the projection thread was storing the briefing created just before.
 */

let db: Db;
let store: DocumentStore;
beforeEach(() => {
  db = sqliteDatabase();
  store = createSqliteDocumentStore(db);
});
afterEach(() => db.$client.close());

const text = (s: string) => {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, s);
  return Y.encodeStateAsUpdate(doc);
};

/** Runs `write` while another connection holds the lock, which it lets go 150 ms later. */
async function whileLocked<T>(write: () => Promise<T>): Promise<T> {
  const holder = await holdWriteLock(db.$client.name);
  holder.release(150);
  try {
    return await write();
  } finally {
    await holder.done;
  }
}

describe("SQLite writes while another connection holds the write lock", () => {
  it("a deferred transaction that reads first is refused at once: the failure these writes must not have", async () => {
    const id = insertSqliteBriefing(db);
    const deferred = db.$client.transaction(() => {
      db.$client.prepare("select 1 from briefings where id = ?").get(id);
      db.$client.prepare("update briefings set title = 'x' where id = ?").run(id);
    });
    const holder = await holdWriteLock(db.$client.name);
    try {
      expect(() => deferred()).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    } finally {
      holder.release(1);
      await holder.done;
    }
  });

  it("the document store's create, append and compact wait for the lock and then store their rows", async () => {
    const id = insertSqliteBriefing(db);
    await whileLocked(() => store.create(id, text("template")));
    await whileLocked(() => store.append(id, [{ update: text("one edit"), userId: USER_ID, receivedAt: new Date() }]));
    const loaded = await store.load(id);
    expect(loaded.logLength).toBe(1);
    const merged = Y.mergeUpdates(loaded.updates);
    await whileLocked(() => store.compact(id, merged));
    const compacted = await store.load(id);
    expect(compacted.logLength).toBe(0);
    const doc = new Y.Doc();
    compacted.updates.forEach((u) => Y.applyUpdate(doc, u));
    expect(doc.getText("t").toString()).toContain("template");
    expect(doc.getText("t").toString()).toContain("one edit");
  });

  it("recording a version waits for the lock and takes the next number", async () => {
    const versions = createVersionStore(openSqliteStore(db), 50);
    const id = insertSqliteBriefing(db);
    const info = await whileLocked(() =>
      versions.record(id, { kind: "auto", name: null, authors: [USER_ID], clients: {}, changeBytes: 1, state: text("v1"), createdBy: null }),
    );
    expect(info.seq).toBe(1);
    expect((await versions.list(id)).map((v) => v.seq)).toEqual([1]);
  });
});
