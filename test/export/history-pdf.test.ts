import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * A history version exported as PDF: its content hash for the audit trail now comes from the
 * render process with the PDF (ADR 0407), and must be the one the same body has as a draft.
 */

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");

let server: TestServer;
let owner: string;
let editor: string;

beforeAll(async () => {
  server = await startTestServer({ env: { HISTORY_INTERVAL_MS: "600000", PDF_WORKERS: "1" } });
  owner = await loginAs(server.url, "owner");
  editor = await loginAs(server.url, "editor");
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

function lastExport(): Record<string, unknown> {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    const row = db.prepare("select details from audit_events where action = 'briefing.export' and briefing_id = ? order by id desc limit 1").get(BRIEFING) as { details: string };
    return JSON.parse(row.details) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

describe("history PDF export", () => {
  it("prints a saved version and records the hash its body has as a draft", async () => {
    expect((await postForm(server.url, HISTORY + INDEX_DATA, editor, { intent: "save", name: "Before the summit" })).status).toBe(200);
    const list = await get(server.url, HISTORY + INDEX_DATA, owner);
    const seq = ((await list.json()) as { versions: { seq: number }[] }).versions[0].seq;

    const version = await get(server.url, `${HISTORY}/${seq}/export.pdf`, owner);
    expect(version.status).toBe(200);
    expect(version.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await version.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const fromVersion = lastExport();
    expect(fromVersion).toMatchObject({ format: "pdf" });
    expect(fromVersion.contentHash).toMatch(/^[0-9a-f]{64}$/);

    // Nothing changed since the version was saved: the draft's body, and so its hash, is the same.
    const draft = await get(server.url, `/briefings/${BRIEFING}/export.pdf`, owner);
    expect(draft.status).toBe(200);
    await draft.arrayBuffer();
    expect(lastExport()).toMatchObject({ format: "pdf", version: "draft", contentHash: fromVersion.contentHash });

    // An unknown version is a 404, not a render.
    expect((await get(server.url, `${HISTORY}/999999/export.pdf`, owner)).status).toBe(404);
  }, 180_000);
});
