import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClients, DEMO_BRIEFING, eventually, firstParagraph, rawSocket } from "../helpers/yclient";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const logged = (message: string) => server.logs.filter((l) => l.message === message && l.briefingId === DEMO_BRIEFING).length;

// Room loading is asynchronous: joins that arrive while it is in flight must share it.
describe("asynchronous room loading", { timeout: 60_000 }, () => {
  it("many stock clients joining an unloaded briefing at once share one load and converge", async () => {
    expect(logged("room loaded")).toBe(0);
    // Each stock provider sends its sync step 1 as soon as the socket opens, i.e. during the load.
    const clients = await connectClients(server.url, "editor", 12);
    expect(logged("room loaded")).toBe(1);
    for (const c of clients) expect(body(c.doc).toString()).toContain("Kazakhstan");

    const before = firstParagraph(clients[0].doc).length;
    clients.forEach((c, i) => firstParagraph(c.doc).insert(0, String.fromCharCode(97 + i)));
    await eventually(() => {
      for (const c of clients) expect(firstParagraph(c.doc).length).toBe(before + clients.length);
      for (const c of clients) expect(body(c.doc).toString()).toBe(body(clients[0].doc).toString());
    }, 15_000);
    clients.forEach((c) => c.destroy());
    await eventually(() => expect(logged("room unloaded")).toBe(1), 15_000);
  });

  it("a socket that closes while its room loads leaves no room behind and no error", async () => {
    const cookie = await loginAs(server.url, "editor");
    const unloadsBefore = logged("room unloaded");
    const loadsBefore = logged("room loaded");
    const raw = rawSocket(server.url, cookie);
    await raw.opened;
    raw.ws.terminate();
    // Either the load finished before the close was seen (then the room unloads) or it was dropped.
    await eventually(() => expect(logged("room loaded") - loadsBefore).toBe(1), 15_000);
    await eventually(() => expect(logged("room unloaded") - unloadsBefore).toBe(1), 15_000);
    expect(server.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});
