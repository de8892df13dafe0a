// SQLite only: the projection thread's own better-sqlite3 connection to the file, prepared with raw inserts, under a heap limit.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBriefing } from "../../db/queries/briefings";
import { openSqliteStore } from "../../db/store";
import { documentSnapshots } from "../../db/schema";
import { DEMO_TEAM_ID, DEMO_USERS } from "../../server/seed/demo";
import { longBriefState } from "../../scripts/bench/fixtures";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph, metricValue } from "../helpers/yclient";
import { seededTempDatabase } from "./temp-db";

// A brief too large for the projection thread's heap (PROJECTION_WORKER_MAX_MEMORY_MB) ends that
// thread, not the server: the thread is replaced, the other briefings are still projected, and
// live editing goes on.
const TOKEN = "projection-crash-token";
const HUGE = "huge-brief";
/** ~7 MB of Yjs state: within COLLAB_MAX_DOCUMENT_BYTES, far beyond a 32 MB heap once converted (400 pages still fit). */
const HUGE_PAGES = 2000;
let server: TestServer;
let sqlite: Database.Database;

beforeAll(async () => {
  const { db } = await seededTempDatabase();
  const databasePath = db.$client.name;
  await createBriefing(
    openSqliteStore(db),
    DEMO_TEAM_ID,
    { title: "Far too long", summitName: "Bench Summit", city: "Astana", startDate: "2026-10-01", endDate: "2026-10-02", classification: "RESTRICTED" },
    DEMO_USERS[0].id,
    HUGE,
  );
  db.insert(documentSnapshots).values({ briefingId: HUGE, state: Buffer.from(longBriefState(HUGE_PAGES)), lastUpdateId: 0, updatedAt: new Date() }).run();
  db.$client.close();
  server = await startTestServer({ databasePath, env: { METRICS_TOKEN: TOKEN, PROJECTION_WORKER_MAX_MEMORY_MB: "32" } });
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
}, 180_000);
afterAll(async () => {
  destroyAllClients();
  sqlite?.close();
  await server?.stop();
});

const metric = (name: string, labels = "") => metricValue(server.url, TOKEN, name, labels);
const textOf = (id: string) => (sqlite.prepare("select body from briefing_texts where briefing_id = ?").get(id) as { body: string } | undefined)?.body;

describe("the projection thread ends", () => {
  it("is replaced, and projection and editing go on", async () => {
    await eventually(async () => expect(await metric("summit_projection_worker_exits_total")).toBeGreaterThanOrEqual(1), 60_000);
    expect(server.logs.some((l) => l.message === "projection worker exited; starting a new one" && l.briefingId === HUGE)).toBe(true);
    expect(textOf(HUGE)).toBeUndefined();
    await eventually(async () => expect(await metric("summit_projection_worker_starts_total")).toBeGreaterThanOrEqual(2), 30_000);

    // The seeded brief is projected by the new thread, and its edits keep reaching search.
    await eventually(() => expect(textOf("ankara-summit")).toContain("Çavuşoğlu"), 30_000);
    const client = await connectClient(server.url, await loginAs(server.url, "editor"));
    firstParagraph(client.doc).insert(0, "Zanzibar ");
    await eventually(() => expect(textOf("ankara-summit")).toContain("Zanzibar"), 10_000);
    expect(server.process.exitCode).toBeNull();
  }, 120_000);
});
