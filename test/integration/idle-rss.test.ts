import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph, metricValue } from "../helpers/yclient";

// Start-up (module loading, migrations, the seed) used to grow V8's young generation to 32 MB
// that an idle server never gave back (docs/decisions/0118). The process entry now holds it at its
// initial size until the server listens, then lets it grow with real work. What V8 reserved is
// read from /metrics (prom-client's heap-space gauge), what the kernel holds from /proc.
const TOKEN = "idle-rss-metrics";
const MB = 1024 * 1024;
/** The young generation of a seeded server at rest: its initial 1 MB semi-spaces, with room to spare. */
const SETTLED_NEW_SPACE = 4 * MB;
/** A wide guard only (the old start held about 110 MB in this mode; machines differ). */
const RSS_GUARD = 140 * MB;

const rssOf = (server: TestServer) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.process.pid}/status`, "utf8"))![1]) * 1024;
const released = (server: TestServer) => server.logs.filter((l) => l.message === "young generation released after start-up");

afterEach(() => destroyAllClients());

describe("memory of a server at rest after start", () => {
  let server: TestServer;
  const metric = (name: string, labels = "") => metricValue(server.url, TOKEN, name, labels);
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
    // At rest: the start-up backfill is projected and its thread has ended (docs/decisions/0117).
    await eventually(async () => {
      expect(await metric("summit_projection_worker_starts_total")).toBe(1);
      expect(await metric("summit_projection_worker_running")).toBe(0);
    }, 30_000, 100);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("holds the young generation at its initial size through start-up", async () => {
    const lines = released(server);
    expect(lines).toHaveLength(1);
    expect(Number(lines[0].newSpaceMb)).toBeLessThanOrEqual(SETTLED_NEW_SPACE / MB);
    expect(await metric("summit_nodejs_heap_space_size_total_bytes", '{space="new"}')).toBeLessThanOrEqual(SETTLED_NEW_SPACE);
    expect(rssOf(server)).toBeLessThan(RSS_GUARD);
  });

  it("answers the first page and the first socket join, and edits reach another client", async () => {
    const login = await get(server.url, "/login");
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Sign in");
    const editor = await loginAs(server.url, "editor");
    const page = await get(server.url, "/briefings/ankara-summit", editor);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ankara");

    const writer = await connectClient(server.url, editor);
    const reader = await connectClient(server.url, await loginAs(server.url, "viewer"));
    expect(firstParagraph(reader.doc).toString()).toBe(firstParagraph(writer.doc).toString());
    firstParagraph(writer.doc).insert(0, "Idle start: ");
    await eventually(() => expect(firstParagraph(reader.doc).toString()).toMatch(/^Idle start: /), 10_000);
  });
});
