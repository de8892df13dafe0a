import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedChecksum } from "../../db/checksum";
import { isStoredDocumentCorrupt, type StoredDocumentCorruptError } from "../../server/persistence/corruption";
import type { StoredDocument } from "../../server/persistence/document-store";
import { pgHarness, sqliteHarness, USER_ID, type StoreHarness } from "../helpers/document-stores";
import { postgresAvailable } from "../helpers/postgres";

const hasPostgres = postgresAvailable();

/**
 * The DocumentStore contract, run against a real SQLite file and a real PostgreSQL database: the
 * same calls must give the same results, rows, checksums and refusals on both (ADR 0111).
 */
const adapters: { name: string; open: () => Promise<StoreHarness>; skip: boolean }[] = [
  { name: "SQLite", open: async () => sqliteHarness(), skip: false },
  { name: "PostgreSQL", open: pgHarness, skip: !hasPostgres },
];

/** A document with text `text` in Y.Text `key`, written by client `clientId` (distinct per writer). */
function edit(key: string, text: string, clientId?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientId !== undefined) doc.clientID = clientId;
  doc.getText(key).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** What a room would hold after loading: every text of the document. */
function content(loaded: StoredDocument | Uint8Array[], keys: string[]): Record<string, string> {
  const doc = new Y.Doc();
  for (const u of Array.isArray(loaded) ? loaded : loaded.updates) Y.applyUpdate(doc, u);
  return Object.fromEntries(keys.map((k) => [k, doc.getText(k).toString()]));
}

const pending = (update: Uint8Array, userId: string | null = null, receivedAt = new Date()) => ({ update, userId, receivedAt });

describe.each(adapters)("DocumentStore contract on $name", ({ open, skip }) => {
  let h: StoreHarness;

  beforeAll(async () => {
    if (!skip) h = await open();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function refusal(id: string, action: () => Promise<unknown> = () => h.store.load(id)): Promise<StoredDocumentCorruptError> {
    try {
      await action();
    } catch (err) {
      if (isStoredDocumentCorrupt(err)) return err;
      throw err;
    }
    throw new Error("the store did not refuse");
  }

  it.skipIf(skip)("exists says whether the briefing row is there", async () => {
    const id = await h.newBriefing();
    expect(await h.store.exists(id)).toBe(true);
    expect(await h.store.exists("no-such-briefing")).toBe(false);
    await h.deleteBriefing(id);
    expect(await h.store.exists(id)).toBe(false);
  });

  it.skipIf(skip)("a briefing with no stored document loads as an empty document, as does an unknown id", async () => {
    const id = await h.newBriefing();
    expect(await h.store.load(id)).toEqual({ updates: [], logLength: 0, bytes: 0 });
    expect(await h.store.load("no-such-briefing")).toEqual({ updates: [], logLength: 0, bytes: 0 });
    expect((await h.briefing(id)).hasContent).toBe(false);
  });

  it.skipIf(skip)("create stores the first body as a checksummed snapshot and refuses a second, or a missing briefing", async () => {
    const id = await h.newBriefing();
    const body = edit("body", "First body");
    await h.store.create(id, body);
    const snap = await h.snapshot(id);
    expect(snap).toMatchObject({ checksum: storedChecksum(body), lastUpdateId: 0 });
    expect(Buffer.compare(snap!.bytes, Buffer.from(body))).toBe(0);
    expect((await h.briefing(id)).hasContent).toBe(true);
    expect(await h.store.load(id)).toMatchObject({ logLength: 0, bytes: body.byteLength });
    expect(content(await h.store.load(id), ["body"])).toEqual({ body: "First body" });

    await expect(h.store.create(id, edit("body", "Over it"))).rejects.toMatchObject({
      code: "document_write_refused",
      message: expect.stringContaining("already has a stored document"),
    });
    await expect(h.store.create("no-such-briefing", body)).rejects.toMatchObject({
      code: "document_write_refused",
      message: expect.stringContaining("does not exist"),
    });
    const logged = await h.newBriefing();
    await h.store.append(logged, [pending(edit("body", "typed"))]);
    await expect(h.store.create(logged, body)).rejects.toMatchObject({ code: "document_write_refused" });
    expect(content(await h.store.load(id), ["body"])).toEqual({ body: "First body" });
  });

  it.skipIf(skip)("append stores each update in order with its CRC-32 and credits the newest one's author", async () => {
    const id = await h.newBriefing();
    await h.store.append(id, []);
    expect((await h.briefing(id)).hasContent).toBe(false); // nothing stored, nothing touched

    const updates = [edit("a", "one", 1), edit("b", "two", 2), edit("c", "three", 3)];
    const at = new Date("2026-12-01T10:11:12.345Z");
    await h.store.append(id, [pending(updates[0]), pending(updates[1]), pending(updates[2], USER_ID, at)]);

    const rows = await h.logRows(id);
    expect(rows.map((r) => Buffer.from(r.bytes).toString("hex"))).toEqual(updates.map((u) => Buffer.from(u).toString("hex")));
    for (const r of rows) expect(r.checksum).toBe(storedChecksum(r.bytes));
    expect(rows[0].id).toBeLessThan(rows[1].id);
    expect(await h.briefing(id)).toEqual({ hasContent: true, lastEditedBy: USER_ID, lastEditedAt: at.getTime() });

    const loaded = await h.store.load(id);
    expect(loaded.logLength).toBe(3);
    expect(loaded.bytes).toBe(updates.reduce((n, u) => n + u.byteLength, 0));
    expect(loaded.updates.map((u) => Buffer.from(u).toString("hex"))).toEqual(updates.map((u) => Buffer.from(u).toString("hex")));
  });

  it.skipIf(skip)("a flush of thousands of updates keeps their order, and compacts into the same text", async () => {
    const id = await h.newBriefing();
    const doc = new Y.Doc();
    doc.clientID = 60;
    const queued: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => queued.push(u));
    for (let i = 0; i < 3000; i++) doc.getText("body").insert(doc.getText("body").length, `${i % 10}`);
    await h.store.append(id, queued.map((u) => pending(u)));
    const loaded = await h.store.load(id);
    expect(loaded.logLength).toBe(3000);
    // Applied one by one in id order, each update's dependency is already there: nothing pending.
    const replay = new Y.Doc();
    for (const u of loaded.updates) Y.applyUpdate(replay, u);
    expect(replay.store.pendingStructs).toBeNull();
    expect(loaded.updates.map((u) => Buffer.from(u).toString("hex"))).toEqual(queued.map((u) => Buffer.from(u).toString("hex")));
    await h.store.compact(id, Y.encodeStateAsUpdate(doc));
    expect(content(await h.store.load(id), ["body"])).toEqual({ body: doc.getText("body").toString() });
    expect(await h.logRows(id)).toEqual([]);
  });

  it.skipIf(skip)("compact folds the log into one snapshot and a load after it equals the load before", async () => {
    const id = await h.newBriefing();
    await h.store.create(id, edit("body", "Seed ", 10));
    const room = new Y.Doc();
    for (const u of (await h.store.load(id)).updates) Y.applyUpdate(room, u);
    const queued: Uint8Array[] = [];
    room.on("update", (u: Uint8Array) => queued.push(u));
    for (const word of ["alpha ", "beta ", "gamma"]) room.getText("body").insert(room.getText("body").length, word);
    await h.store.append(id, queued.map((u) => pending(u)));
    const ids = (await h.logRows(id)).map((r) => r.id);

    const before = await h.store.load(id);
    expect(before.logLength).toBe(3);
    await h.store.compact(id, Y.encodeStateAsUpdate(room));

    const after = await h.store.load(id);
    expect(after.logLength).toBe(0);
    expect(after.updates).toHaveLength(1);
    expect(content(after, ["body"])).toEqual(content(before, ["body"]));
    expect(content(after, ["body"])).toEqual({ body: "Seed alpha beta gamma" });
    const snap = await h.snapshot(id);
    expect(snap!.checksum).toBe(storedChecksum(snap!.bytes));
    expect(snap!.lastUpdateId).toBe(Math.max(...ids));
    expect(await h.logRows(id)).toEqual([]);
  });

  it.skipIf(skip)("compact merges stored rows the given state lacks (another instance appended them)", async () => {
    const id = await h.newBriefing();
    await h.store.append(id, [pending(edit("other", "from another instance", 21))]);
    await h.store.compact(id, edit("mine", "this room's", 22));
    const loaded = await h.store.load(id);
    expect(loaded.logLength).toBe(0);
    expect(content(loaded, ["other", "mine"])).toEqual({ other: "from another instance", mine: "this room's" });
    expect((await h.briefing(id)).hasContent).toBe(true);

    // Compacting with nothing logged keeps what the snapshot holds, and a later append loads after it.
    await h.store.compact(id, edit("mine", "this room's", 22));
    await h.store.append(id, [pending(edit("late", "late edit", 23))]);
    expect(content(await h.store.load(id), ["other", "mine", "late"])).toEqual({ other: "from another instance", mine: "this room's", late: "late edit" });
  });

  it.skipIf(skip)("append and compact for a deleted briefing reject and store nothing, so the room can drop its updates", async () => {
    const id = await h.newBriefing();
    await h.store.append(id, [pending(edit("body", "before", 50))]);
    await h.deleteBriefing(id);
    await expect(h.store.append(id, [pending(edit("body", "after", 50))])).rejects.toThrow();
    await expect(h.store.compact(id, edit("body", "after", 50))).rejects.toThrow();
    expect(await h.store.exists(id)).toBe(false);
    expect(await h.logRows(id)).toEqual([]);
    expect(await h.snapshot(id)).toBeUndefined();
  });

  it.skipIf(skip)("refuses a snapshot without a checksum, a flipped bit in a log row, and content that is gone, and reports each once", async () => {
    const id = await h.newBriefing();
    await h.store.create(id, edit("body", "Body", 30));
    const refusedBefore = h.refused.length;
    const sum = (await h.snapshot(id))!.checksum;

    await h.setSnapshotChecksum(id, null);
    expect(await refusal(id)).toMatchObject({ kind: "snapshot", briefingId: id, httpStatus: 503, detail: "no checksum stored" });
    await h.setSnapshotChecksum(id, sum);
    expect(content(await h.store.load(id), ["body"])).toEqual({ body: "Body" });

    await h.store.append(id, [pending(edit("b", "logged", 31))]);
    const [row] = await h.logRows(id);
    const flipped = Buffer.from(row.bytes);
    flipped[0] ^= 1;
    await h.setLogBytes(row.id, flipped);
    const log = await refusal(id);
    expect(log.kind).toBe("log");
    expect(log.detail).toBe(`update row ${row.id}: checksum ${row.checksum} stored, ${storedChecksum(flipped)} computed over ${flipped.byteLength} bytes`);

    // A compaction over a damaged row refuses too and writes nothing: the bytes stay for a restore.
    const snapBefore = await h.snapshot(id);
    const compactRefusal = await refusal(id, () => h.store.compact(id, edit("body", "Body", 30)));
    expect(compactRefusal.kind).toBe("log");
    expect(await h.snapshot(id)).toEqual(snapBefore);
    expect((await h.logRows(id)).map((r) => r.id)).toEqual([row.id]);

    await h.deleteRows(id);
    expect((await refusal(id)).kind).toBe("missing");
    expect(h.refused.slice(refusedBefore).map((e) => e.kind)).toEqual(["snapshot", "log", "log", "missing"]);
  });
});
