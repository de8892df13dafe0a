import path from "node:path";
import * as Y from "yjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backfillChecksums } from "../../db/backfill-checksums";
import { storedChecksum } from "../../db/checksum";
import { openDatabase, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createBriefing } from "../../db/queries/briefings";
import { openSqliteStore } from "../../db/store";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID, DEMO_USERS, seedDemo } from "../seed/demo";
import { tempDir } from "../../test/helpers/server";
import { isStoredDocumentCorrupt, type StoredDocumentCorruptError } from "./corruption";
import { createSqliteDocumentStore, type DocumentStore } from "./document-store";

let db: Db;
let store: DocumentStore;
let refused: StoredDocumentCorruptError[];

beforeEach(async () => {
  db = openDatabase(path.join(tempDir(), "store.db"));
  migrateDatabase(db);
  await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
  refused = [];
  store = createSqliteDocumentStore(db, { onCorrupt: (err) => refused.push(err) });
});
afterEach(() => db.$client.close());

/** A briefing with no stored document yet, as an import or an older creator left it. */
async function emptyBriefing(): Promise<string> {
  const briefing = await createBriefing(
    openSqliteStore(db),
    DEMO_TEAM_ID,
    { title: "Empty", summitName: "S", city: "Baku", startDate: "2027-01-01", endDate: "2027-01-01", classification: "UNCLASSIFIED" },
    DEMO_USERS[0].id,
  );
  return briefing.id;
}

function anUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

const sqlite = () => db.$client;
const hasContent = (id: string) => sqlite().prepare("select has_content from briefings where id = ?").pluck().get(id);

async function loadError(id: string): Promise<StoredDocumentCorruptError> {
  try {
    await store.load(id);
  } catch (err) {
    if (isStoredDocumentCorrupt(err)) return err;
    throw err;
  }
  throw new Error("load did not refuse");
}

describe("document store checksums", () => {
  it("append and compact store the CRC-32 of each blob and mark the briefing as having content", async () => {
    const id = await emptyBriefing();
    expect(hasContent(id)).toBe(0);
    expect((await store.load(id)).updates).toEqual([]); // no content yet: an empty document is the truth

    await store.append(id, [{ update: anUpdate("a"), userId: null, receivedAt: new Date() }]);
    expect(hasContent(id)).toBe(1);
    const rows = sqlite().prepare('select "update" as bytes, checksum from document_updates where briefing_id = ?').all(id) as { bytes: Buffer; checksum: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0].checksum).toBe(storedChecksum(rows[0].bytes));

    const state = anUpdate("compacted");
    await store.compact(id, state);
    const snap = sqlite().prepare("select state, checksum from document_snapshots where briefing_id = ?").get(id) as { state: Buffer; checksum: number };
    expect(snap.checksum).toBe(storedChecksum(state));
    expect((await store.load(id)).updates).toHaveLength(1);
    expect(refused).toEqual([]);
  });

  it("refuses a row without a checksum, a flipped bit, and content that is gone, and reports each once", async () => {
    sqlite().prepare("update document_snapshots set checksum = null where briefing_id = ?").run(DEMO_BRIEFING_ID);
    expect(await loadError(DEMO_BRIEFING_ID)).toMatchObject({ kind: "snapshot", briefingId: DEMO_BRIEFING_ID, httpStatus: 503 });
    backfillChecksums(db);
    expect((await store.load(DEMO_BRIEFING_ID)).updates).toHaveLength(1);

    await store.append(DEMO_BRIEFING_ID, [{ update: anUpdate("b"), userId: null, receivedAt: new Date() }]);
    const row = sqlite().prepare('select id, "update" as bytes from document_updates where briefing_id = ?').get(DEMO_BRIEFING_ID) as { id: number; bytes: Buffer };
    const flipped = Buffer.from(row.bytes);
    flipped[0] ^= 1;
    sqlite().prepare('update document_updates set "update" = ? where id = ?').run(flipped, row.id);
    expect((await loadError(DEMO_BRIEFING_ID)).kind).toBe("log");

    sqlite().prepare("delete from document_updates where briefing_id = ?").run(DEMO_BRIEFING_ID);
    sqlite().prepare("delete from document_snapshots where briefing_id = ?").run(DEMO_BRIEFING_ID);
    expect((await loadError(DEMO_BRIEFING_ID)).kind).toBe("missing");
    expect(refused.map((e) => e.kind)).toEqual(["snapshot", "log", "missing"]);
  });

  it("the backfill fills every NULL checksum in batches and touches nothing else", async () => {
    const id = await emptyBriefing();
    await store.append(id, Array.from({ length: 7 }, (_, i) => ({ update: anUpdate(`u${i}`), userId: null, receivedAt: new Date() })));
    sqlite().prepare("update document_updates set checksum = null").run();
    sqlite().prepare("update document_snapshots set checksum = null").run();
    const before = sqlite().prepare('select id, "update" from document_updates order by id').all();

    expect(backfillChecksums(db, 2)).toEqual({ snapshots: 1, updates: 7, versions: 0 });
    expect(sqlite().prepare('select id, "update" from document_updates order by id').all()).toEqual(before);
    const rows = sqlite().prepare('select "update" as bytes, checksum from document_updates').all() as { bytes: Buffer; checksum: number }[];
    for (const r of rows) expect(r.checksum).toBe(storedChecksum(r.bytes));
    expect((await store.load(id)).logLength).toBe(7);
    expect(backfillChecksums(db, 2)).toEqual({ snapshots: 0, updates: 0, versions: 0 });
  });
});
