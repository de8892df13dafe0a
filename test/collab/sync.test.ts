import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, connectClients, eventually, firstParagraph, readBody, type YClient } from "../helpers/yclient";

let server: TestServer;
let ownerCookie: string;
beforeAll(async () => {
  server = await startTestServer();
  ownerCookie = await loginAs(server.url, "owner");
});
afterAll(async () => {
  await server?.stop();
});

async function restart(): Promise<void> {
  const code = await server.stop();
  expect(code).toBe(0);
  server = await startTestServer({ databasePath: server.databasePath });
  ownerCookie = await loginAs(server.url, "owner");
}

/** Each client types `edits` single characters at random positions of the first paragraph. */
async function typeConcurrently(clients: YClient[], edits: number): Promise<void> {
  await Promise.all(
    clients.map(async (c, i) => {
      for (let k = 0; k < edits; k++) {
        const text = firstParagraph(c.doc);
        const pos = Math.floor(Math.random() * (text.length + 1));
        text.insert(pos, String.fromCharCode(97 + ((i + k) % 26)));
        if (k % 3 === 0) await new Promise((r) => setTimeout(r, Math.random() * 5));
      }
    }),
  );
}

async function expectConverged(clients: YClient[], expectedLength: number): Promise<string> {
  return eventually(() => {
    const texts = clients.map((c) => body(c.doc).toString());
    for (const t of texts) expect(t).toBe(texts[0]);
    expect(firstParagraph(clients[0].doc).length).toBe(expectedLength);
    return texts[0];
  }, 15_000);
}

// Several tests restart the server (a few seconds each, more on a busy machine).
describe("y-websocket sync", { timeout: 120_000 }, () => {
  it("serves the seeded briefing to a stock WebsocketProvider", async () => {
    const client = await connectClient(server.url, ownerCookie);
    expect(body(client.doc).toString()).toContain("Kazakhstan");
    client.destroy();
  });

  it("two clients editing at once converge, and the restarted server serves the same state", async () => {
    const clients = await connectClients(server.url, "editor", 2);
    const before = firstParagraph(clients[0].doc).length;
    await typeConcurrently(clients, 40);
    const converged = await expectConverged(clients, before + 80);
    clients.forEach((c) => c.destroy());
    await restart();
    expect(await readBody(server.url, ownerCookie)).toBe(converged);
  });

  it("twenty clients typing at random positions converge and equal what is stored", async () => {
    const editors = await connectClients(server.url, "editor", 10);
    const owners = await connectClients(server.url, "owner", 10);
    const clients = [...editors, ...owners];
    const before = firstParagraph(clients[0].doc).length;
    await typeConcurrently(clients, 15);
    const converged = await expectConverged(clients, before + 300);
    clients.forEach((c) => c.destroy());
    await restart();
    expect(await readBody(server.url, ownerCookie)).toBe(converged);
  });

  it("an edit received 300 ms before SIGKILL survives the restart", async () => {
    const writer = await connectClient(server.url, ownerCookie);
    const marker = `durable-${Date.now()}`;
    firstParagraph(writer.doc).insert(0, marker);
    // Wait until another client sees it: the server has received and applied it.
    const watcher = await connectClient(server.url, ownerCookie);
    await eventually(() => expect(firstParagraph(watcher.doc).toString()).toContain(marker));
    await new Promise((r) => setTimeout(r, 300));
    await server.kill();
    writer.destroy();
    watcher.destroy();
    server = await startTestServer({ databasePath: server.databasePath });
    ownerCookie = await loginAs(server.url, "owner");
    expect(await readBody(server.url, ownerCookie)).toContain(marker);
  });

  it("SIGTERM stores every open room, closes sockets with 4503 and exits 0", async () => {
    const writer = await connectClient(server.url, ownerCookie);
    const marker = `graceful-${Date.now()}`;
    firstParagraph(writer.doc).insert(0, marker);
    const code = await server.stop();
    expect(code).toBe(0);
    await eventually(() => expect(writer.closes.map((c) => c.code)).toContain(4503));
    writer.destroy();
    server = await startTestServer({ databasePath: server.databasePath });
    ownerCookie = await loginAs(server.url, "owner");
    expect(await readBody(server.url, ownerCookie)).toContain(marker);
  });
});
