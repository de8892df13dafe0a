import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph, metricValue } from "../helpers/yclient";

// The projection thread (~30 MB) ends after PROJECTION_WORKER_IDLE_MS without work and starts
// again with the next settle, which is then projected as before.
const TOKEN = "projection-idle-metrics";
let server: TestServer;
let sqlite: Database.Database;

beforeAll(async () => {
  server = await startTestServer({ env: { PROJECTION_DEBOUNCE_MS: "100", PROJECTION_WORKER_IDLE_MS: "400", METRICS_TOKEN: TOKEN } });
  sqlite = new Database(server.databasePath, { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  destroyAllClients();
  sqlite?.close();
  await server?.stop();
});

const metric = (name: string) => metricValue(server.url, TOKEN, name);
const searchHits = (term: string) =>
  (sqlite.prepare("select briefing_id from briefing_search where briefing_search match ?").all(`"${term}"`) as { briefing_id: string }[]).map((r) => r.briefing_id);

describe("projection thread when idle", () => {
  it("stops after the start-up backfill and starts again for the next edit", async () => {
    // The seeded briefing is projected at start; then the thread has nothing to do.
    await eventually(() => expect(searchHits("Cavusoglu")).toEqual(["ankara-summit"]), 20_000);
    await eventually(async () => {
      expect(await metric("summit_projection_worker_starts_total")).toBeGreaterThanOrEqual(1);
      expect(await metric("summit_projection_worker_running")).toBe(0);
    }, 20_000);
    const starts = await metric("summit_projection_worker_starts_total");

    const editor = await connectClient(server.url, await loginAs(server.url, "editor"));
    firstParagraph(editor.doc).insert(0, "Zhezkazgan ");
    await eventually(() => expect(searchHits("Zhezkazgan")).toEqual(["ankara-summit"]), 20_000);
    expect(await metric("summit_projection_worker_starts_total")).toBe(starts + 1);
    // Not a crash: nothing counted as an unexpected exit, and it stops again once idle.
    expect(await metric("summit_projection_worker_exits_total")).toBe(0);
    await eventually(async () => expect(await metric("summit_projection_worker_running")).toBe(0), 20_000);
  });
});
