import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph, metricValue } from "../helpers/yclient";

const BRIEFING = "ankara-summit";
const HISTORY = `/briefings/${BRIEFING}/history`;
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");
const TOKEN = "history-warm-token";
/** Short, so the test sees threads end; long enough that a thread is not stopped between two requests. */
const IDLE_MS = 1500;

let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN, HISTORY_WORKER_IDLE_MS: String(IDLE_MS), HISTORY_INTERVAL_MS: "600000" } });
  for (const role of ["editor", "viewer"] as const) cookies[role] = await loginAs(server.url, role);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(() => destroyAllClients());

const threads = () => metricValue(server.url, TOKEN, "summit_history_threads");

async function save(name: string): Promise<number> {
  const res = await postForm(server.url, HISTORY + INDEX_DATA, cookies.editor!, { intent: "save", name });
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: number }).version;
}

describe("history thread started by the History page", () => {
  it("starts the briefing's thread when the History page is requested, serves the compare that follows, ends it after the idle time, and the Compare page from a link starts it too", async () => {
    // The client stays connected, so no unload records a version (and starts a thread) meanwhile.
    const editor = await connectClient(server.url, cookies.editor!);
    const from = await save("Before");
    const t = firstParagraph(editor.doc);
    t.insert(t.length, " WARM-WORDS");
    await eventually(async () => {
      const c = await connectClient(server.url, cookies.viewer!);
      const s = body(c.doc).toString();
      c.destroy();
      expect(s).toContain("WARM-WORDS");
    }, 15_000, 100);
    const to = await save("After");

    // The threads that recorded the two versions end after the idle time: none runs now.
    await eventually(async () => expect(await threads()).toBe(0), 30_000, 100);

    const page = await get(server.url, HISTORY + INDEX_DATA, cookies.viewer!);
    expect(page.status).toBe(200);
    // The page started a thread before any comparison was asked for.
    await eventually(async () => expect(await threads()).toBe(1), 15_000, 50);

    const res = await get(server.url, `${HISTORY}/compare.json?a=${from}&b=${to}`, cookies.viewer!);
    expect(res.status).toBe(200);
    const { comparison } = (await res.json()) as { comparison: { blocks: { segments: { op: string; text: string }[] }[] } };
    expect(comparison.blocks.flatMap((b) => b.segments).filter((s) => s.op === "ins").map((s) => s.text)).toContain(" WARM-WORDS");
    // Still the one thread: the compare ran on the one the page started.
    expect(await threads()).toBe(1);
    // The job's time is on /metrics, in the thread and waiting for it (server/history/pool.ts).
    const job = (series: string, part: string) => metricValue(server.url, TOKEN, `summit_history_job_seconds_${series}`, `{type="compare",part="${part}"}`);
    expect(await job("count", "run")).toBe(1);
    expect(await job("count", "queued")).toBe(1);
    expect(await job("sum", "run")).toBeGreaterThan(0);

    // A warmed thread still ends after HISTORY_WORKER_IDLE_MS without work.
    await eventually(async () => expect(await threads()).toBe(0), 30_000, 100);

    // The Compare page opened straight from a link: its loader starts the thread and has it rebuild
    // the page's two versions (a prepare job) before the page asks for compare.html.
    const prepared = () => metricValue(server.url, TOKEN, "summit_history_job_seconds_count", '{type="prepare",part="run"}');
    const preparedBefore = await prepared();
    const comparePage = await get(server.url, `${HISTORY}/compare?a=${from}&b=${to}&_data=${encodeURIComponent("routes/briefings.$briefingId_.history.compare")}`, cookies.viewer!);
    expect(comparePage.status).toBe(200);
    await eventually(async () => expect(await prepared()).toBe(preparedBefore + 1), 15_000, 50);
    const html = await get(server.url, `${HISTORY}/compare.html?a=${from}&b=${to}`, cookies.viewer!);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain("WARM-WORDS");
    expect(await job("count", "run")).toBe(2);
  }, 120_000);
});
