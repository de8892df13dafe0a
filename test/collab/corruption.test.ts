import { toReview } from "../helpers/review";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { storedChecksum } from "../../db/checksum";
import { get, loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph, metricValue, readBody } from "../helpers/yclient";

const TOKEN = "corruption-metrics";
const DAMAGED_REASON = "stored briefing is damaged: an administrator must restore it";
let server: TestServer;
let owner: string;

beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN, PDF_WORKERS: "1" } });
  owner = await loginAs(server.url, "owner");
}, 90_000);
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

let created = 0;
async function createBriefing(): Promise<string> {
  const res = await postForm(server.url, "/teams/demo-kz-tr-desk?index", owner, {
    intent: "create",
    title: `Damaged ${++created}`,
    summitName: "Test",
    city: "Baku",
    startDate: "2027-02-01",
    endDate: "2027-02-02",
    classification: "UNCLASSIFIED",
  });
  expect(res.status).toBe(302);
  return res.headers.get("location")!.split("/").pop()!;
}

/** Every stored row of a briefing, bytes included, to compare before and after the refusals. */
function storedRows(db: Database.Database, briefingId: string) {
  return {
    snapshots: db.prepare("select * from document_snapshots where briefing_id = ?").all(briefingId),
    updates: db.prepare("select * from document_updates where briefing_id = ? order by id").all(briefingId),
    hasContent: db.prepare("select has_content from briefings where id = ?").pluck().get(briefingId),
  };
}

/** Flips one bit in the middle of a blob. */
function flipBit(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1] ^= 0x10;
  return copy;
}

/** Types into a new briefing, then waits until the edit is in the log and the room has unloaded. */
async function editAndUnload(briefingId: string, text: string): Promise<void> {
  const client = await connectClient(server.url, owner, { briefingId });
  firstParagraph(client.doc).insert(0, text);
  const db = new Database(server.databasePath, { readonly: true });
  try {
    await eventually(() => expect(storedRows(db, briefingId).updates.length).toBeGreaterThan(0), 10_000);
  } finally {
    db.close();
  }
  client.destroy();
  await eventually(() => expect(server.logs.some((l) => l.message === "room unloaded" && l.briefingId === briefingId)).toBe(true), 10_000);
}

/** Everything that reads the document refuses it, loudly, and leaves the stored rows as they were. */
async function expectRefused(db: Database.Database, briefingId: string, kind: "snapshot" | "log" | "missing"): Promise<void> {
  const before = storedRows(db, briefingId);
  const counted = await metricValue(server.url, TOKEN, "summit_storage_corrupt_total", `{kind="${kind}"}`);

  // Twice: a refused load keeps no room, so the second open is refused again, not served empty.
  for (let attempt = 0; attempt < 2; attempt++) {
    const client = await connectClient(server.url, owner, { briefingId, waitForSync: false });
    await eventually(() => expect(client.closes).toEqual([{ code: 4510, reason: DAMAGED_REASON }]), 10_000);
    expect(body(client.doc).length).toBe(0);
    client.destroy();
  }

  const page = await get(server.url, `/briefings/${briefingId}`, owner);
  expect(page.status).toBe(503);
  expect(await page.text()).toContain("stored document is damaged");

  const comments = await get(server.url, `/briefings/${briefingId}/comments`, owner);
  expect(comments.status).toBe(503);
  expect(await comments.text()).toContain("An administrator must restore it");

  const pdf = await get(server.url, `/briefings/${briefingId}/export.pdf`, owner);
  expect(pdf.status).toBe(503);
  expect(pdf.headers.get("content-type")).toContain("text/plain");
  expect(await pdf.text()).toContain("stored document is damaged");

  // Finalizing would record the damaged body as a version: refused too, and no version is stored.
  expect((await postForm(server.url, `/briefings/${briefingId}/status`, owner, toReview())).status).toBe(200);
  const finalize = await postForm(server.url, `/briefings/${briefingId}/status`, owner, { to: "final" });
  expect(finalize.status).toBe(503);
  expect(await finalize.text()).toContain("stored document is damaged");
  expect(db.prepare("select count(*) from briefing_versions where briefing_id = ?").pluck().get(briefingId)).toBe(0);

  // Two sockets, the page, the comments, the export, the history version of "Send for review" and
  // finalizing: seven refused loads.
  expect(await metricValue(server.url, TOKEN, "summit_storage_corrupt_total", `{kind="${kind}"}`)).toBe(counted + 7);
  const errors = server.logs.filter((l) => l.level === "error" && l.briefingId === briefingId && l.kind === kind);
  expect(errors.length).toBeGreaterThanOrEqual(7);
  expect(errors[0].message).toBe("stored document is damaged: refusing to load it");

  // Byte for byte what the damage left: nothing compacted, appended or cleared over it.
  expect(storedRows(db, briefingId)).toEqual(before);
  const health = await get(server.url, "/healthz");
  expect(health.status).toBe(200);
}

describe("damaged stored documents", () => {
  it("a snapshot with one flipped bit is refused everywhere and left as it is", async () => {
    const briefingId = await createBriefing();
    const db = new Database(server.databasePath);
    try {
      const { state } = db.prepare("select state from document_snapshots where briefing_id = ?").get(briefingId) as { state: Buffer };
      db.prepare("update document_snapshots set state = ? where briefing_id = ?").run(flipBit(state), briefingId);
      await expectRefused(db, briefingId, "snapshot");
    } finally {
      db.close();
    }
  });

  it("an update-log row with one flipped bit is refused everywhere and left as it is", async () => {
    const briefingId = await createBriefing();
    await editAndUnload(briefingId, "Opening remarks by the minister. ");
    const db = new Database(server.databasePath);
    try {
      const row = db.prepare('select id, "update" as bytes from document_updates where briefing_id = ? order by id desc limit 1').get(briefingId) as {
        id: number;
        bytes: Buffer;
      };
      db.prepare('update document_updates set "update" = ? where id = ?').run(flipBit(row.bytes), row.id);
      await expectRefused(db, briefingId, "log");
    } finally {
      db.close();
    }
  });

  it("a briefing with content whose snapshot row was deleted is refused, not served empty", async () => {
    const briefingId = await createBriefing();
    const db = new Database(server.databasePath);
    try {
      db.prepare("delete from document_snapshots where briefing_id = ?").run(briefingId);
      expect(storedRows(db, briefingId)).toEqual({ snapshots: [], updates: [], hasContent: 1 });
      await expectRefused(db, briefingId, "missing");
    } finally {
      db.close();
    }
  });

  it("an undamaged briefing still opens and exports", async () => {
    const briefingId = await createBriefing();
    await editAndUnload(briefingId, "Intact text. ");
    expect(await readBody(server.url, owner, briefingId)).toContain("Intact text.");
    expect((await get(server.url, `/briefings/${briefingId}`, owner)).status).toBe(200);
    expect((await get(server.url, `/briefings/${briefingId}/comments`, owner)).status).toBe(200);
  });
});

describe("databases stored before checksums", () => {
  it("get every checksum computed at start and then load as before", async () => {
    const own = await startTestServer();
    const cookie = await loginAs(own.url, "owner");
    const client = await connectClient(own.url, cookie);
    firstParagraph(client.doc).insert(0, "Written before checksums. ");
    const check = new Database(own.databasePath, { readonly: true });
    await eventually(() => expect(check.prepare("select count(*) from document_updates").pluck().get()).toBeGreaterThan(0), 10_000);
    check.close();
    client.destroy();
    expect(await own.stop()).toBe(0);

    // What a database migrated before 0003 holds once the migration has run: no checksums.
    const db = new Database(own.databasePath);
    db.prepare("update document_snapshots set checksum = null").run();
    db.prepare("update document_updates set checksum = null").run();
    const snapshots = db.prepare("select count(*) from document_snapshots").pluck().get() as number;
    const updates = db.prepare("select count(*) from document_updates").pluck().get() as number;
    expect(updates).toBeGreaterThan(0);
    db.close();

    const again = await startTestServer({ databasePath: own.databasePath });
    try {
      const line = again.logs.find((l) => l.message === "stored document checksums computed");
      expect(line).toMatchObject({ level: "info", snapshots, updates });
      const after = new Database(own.databasePath, { readonly: true });
      const rows = [
        ...(after.prepare("select state as bytes, checksum from document_snapshots").all() as { bytes: Buffer; checksum: number }[]),
        ...(after.prepare('select "update" as bytes, checksum from document_updates').all() as { bytes: Buffer; checksum: number }[]),
      ];
      after.close();
      expect(rows.length).toBe(snapshots + updates);
      for (const row of rows) expect(row.checksum).toBe(storedChecksum(row.bytes));
      const again2 = await loginAs(again.url, "owner");
      expect(await readBody(again.url, again2)).toContain("Written before checksums.");
    } finally {
      await again.stop();
    }
    // A second start finds nothing to fill and says nothing about it.
    const third = await startTestServer({ databasePath: own.databasePath });
    expect(third.logs.some((l) => l.message === "stored document checksums computed")).toBe(false);
    await third.stop();
  }, 120_000);
});
