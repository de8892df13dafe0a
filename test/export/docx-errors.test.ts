import { afterAll, afterEach, describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import * as Y from "yjs";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";

// Word and Markdown exports fail with their own status and a message, never a generic 500, and a
// stopped export leaves the export thread usable for the next one.
const DOCX = "/briefings/ankara-summit/export.docx";
const MD = "/briefings/ankara-summit/export.md";
const servers: TestServer[] = [];

afterEach(() => destroyAllClients());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function start(env: Record<string, string>) {
  const server = await startTestServer({ env: { PDF_WORKERS: "1", ...env } });
  servers.push(server);
  return { server, editor: await loginAs(server.url, "editor") };
}

describe("Word and Markdown export errors over HTTP", () => {
  it("answers 504 over DOCX_TIMEOUT_MS, then exports again once the brief is small", async () => {
    // A byte budget that lets the test send its large brief at once (it is not under test here).
    const { server, editor } = await start({ DOCX_TIMEOUT_MS: "1500", COLLAB_MAX_BYTES_PER_SECOND: String(64 * 1024 * 1024), COLLAB_MAX_BYTES_BURST: String(64 * 1024 * 1024) });
    const client = await connectClient(server.url, editor);
    // Thousands of paragraphs: far more than the export thread writes in 1.5 s, while the demo
    // brief takes a few tens of milliseconds, so a busy machine does not blur the two.
    const fragment = body(client.doc);
    const before = fragment.length;
    // 6,000 paragraphs once took just under 1.5 s on a CI machine; four times that leaves no doubt.
    // Sent as four updates, each under the 2 MiB message cap.
    const PARAGRAPHS = 24_000;
    for (let part = 0; part < 4; part++) {
      client.doc.transact(() => {
        const added = Array.from({ length: PARAGRAPHS / 4 }, (_, k) => {
          const p = new Y.XmlElement("paragraph");
          p.insert(0, [new Y.XmlText(`${part * 6000 + k}. Draft position on transit corridors, trade volumes and the timetable. `.repeat(2))]);
          return p;
        });
        fragment.insert(fragment.length, added);
      });
    }
    const reader = await connectClient(server.url, editor);
    await eventually(() => expect(body(reader.doc).length).toBe(before + PARAGRAPHS), 60_000);

    const res = await get(server.url, DOCX, editor);
    expect(res.status).toBe(504);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("The export took longer than 1500 ms and was stopped.");

    fragment.delete(before, PARAGRAPHS);
    await eventually(() => expect(body(reader.doc).length).toBe(before), 60_000);
    // The thread that was stopped is replaced; the small brief fits the limit again.
    await eventually(async () => expect((await get(server.url, MD, editor)).status).toBe(200), 30_000, 200);
  }, 120_000);

  it("answers 503 with a retry hint when more exports wait than DOCX_MAX_QUEUE", async () => {
    const { server, editor } = await start({ DOCX_MAX_QUEUE: "0" });
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(server.url, DOCX, editor)));
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(await answers.find((r) => r.status === 503)!.text()).toBe("Too many exports are waiting; try again in a moment.");
  }, 90_000);
});
