import { afterAll, afterEach, describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import * as Y from "yjs";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

// Export failures answer with their own status and a message a desk officer can act on. The
// status comes from the error class the render pool throws; when the app and the server loaded
// separate copies of that class, every one of these answered a generic 500.
const EXPORT = "/briefings/ankara-summit/export.pdf";
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

/** Types `text` at the start of the first paragraph and waits until the server has it. */
async function type(server: TestServer, cookie: string, text: string) {
  const client = await connectClient(server.url, cookie);
  firstParagraph(client.doc).insert(0, text);
  const reader = await connectClient(server.url, cookie);
  await eventually(() => expect(firstParagraph(reader.doc).toString()).toContain(text), 10_000);
}

describe("export errors over HTTP", () => {
  it("answers 422 naming a character the PDF fonts cannot draw", async () => {
    const { server, editor } = await start({});
    await type(server, editor, "Agreed 🤝 today. ");
    const res = await get(server.url, EXPORT, editor);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const message = await res.text();
    expect(message).toContain("U+1F91D");
    expect(message).toContain("Replace it and export again.");
  }, 60_000);

  it("answers 503 with a retry hint when more exports wait than the queue holds", async () => {
    const { server, editor } = await start({ PDF_MAX_QUEUE: "1" });
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(server.url, EXPORT, editor)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    const busy = answers.find((r) => r.status === 503)!;
    expect(await busy.text()).toBe("Too many exports are waiting; try again in a moment.");
  }, 60_000);

  it("answers 504 when a render takes longer than PDF_TIMEOUT_MS", async () => {
    const { server, editor } = await start({ PDF_TIMEOUT_MS: "100" });
    // About 200 pages in 300 paragraphs: far more than a render process lays out in 100 ms even on
    // an idle machine (one paragraph of forty pages was once done within it).
    const client = await connectClient(server.url, editor);
    const paragraph = "Draft position on transit corridors and trade volumes. ".repeat(25);
    client.doc.transact(() =>
      body(client.doc).insert(
        0,
        Array.from({ length: 300 }, (_, i) => {
          const p = new Y.XmlElement("paragraph");
          p.insert(0, [new Y.XmlText(`${i + 1}. ${paragraph}`)]);
          return p;
        }),
      ),
    );
    const reader = await connectClient(server.url, editor);
    await eventually(() => expect(body(reader.doc).length).toBe(body(client.doc).length), 20_000);
    const res = await get(server.url, EXPORT, editor);
    expect(res.status).toBe(504);
    expect(await res.text()).toMatch(/took longer than 0 s|took longer than/);
  }, 90_000);
});
