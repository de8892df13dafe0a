import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  body,
  connectClient,
  destroyAllClients,
  eventually,
  firstParagraph,
  metricValue,
  rawSocket,
  upgradeStatus,
} from "../helpers/yclient";
import { openTcpWebSocket } from "./raw-frames";

const TOKEN = "limits-metrics";
let server: TestServer;
let owner: string;
beforeAll(async () => {
  server = await startTestServer({
    env: {
      METRICS_TOKEN: TOKEN,
      COLLAB_MAX_DOCUMENT_BYTES: String(512 * 1024),
      COLLAB_MAX_BUFFERED_BYTES: String(64 * 1024),
      COLLAB_MAX_CONNECTIONS_PER_USER: "4",
      COLLAB_MAX_CONNECTIONS_PER_BRIEFING: "6",
      COLLAB_PING_INTERVAL_MS: "4000",
    },
  });
  owner = await loginAs(server.url, "owner");
});
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

const closes = (code: number) => metricValue(server.url, TOKEN, "summit_collab_closes_total", `{code="${code}"}`);

describe("configured limits", () => {
  it("refuses connections over the per-user (429) and per-briefing (503) caps", async () => {
    const h = (cookie: string) => ({ Cookie: cookie, Origin: server.url });
    const mine = await Promise.all(Array.from({ length: 4 }, () => connectClient(server.url, owner)));
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", h(owner))).toBe(429);
    const editor = await loginAs(server.url, "editor");
    const theirs = await Promise.all(Array.from({ length: 2 }, () => connectClient(server.url, editor)));
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", h(await loginAs(server.url, "viewer")))).toBe(503);
    [...mine, ...theirs].forEach((c) => c.destroy());
    await eventually(async () => expect(await upgradeStatus(server.url, "/collab/ankara-summit", h(owner))).toBe(101));
  });

  it("an update that would grow the document past the cap closes that socket with 4414; others go on", async () => {
    const big = await connectClient(server.url, owner);
    const other = await connectClient(server.url, await loginAs(server.url, "editor"));
    firstParagraph(big.doc).insert(0, "x".repeat(600 * 1024));
    await eventually(() => expect(big.closes.map((c) => c.code)).toEqual([4414]));
    firstParagraph(other.doc).insert(0, "small-edit ");
    const check = await connectClient(server.url, owner);
    await eventually(() => expect(firstParagraph(check.doc).toString()).toContain("small-edit "));
    expect(body(check.doc).toString()).not.toContain("xxxxxxxxxx");
  });

  it("a client that stops reading is dropped with 4430 once too many bytes are queued", async () => {
    const slow = rawSocket(server.url, owner);
    await slow.opened;
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const talker = await connectClient(server.url, await loginAs(server.url, "editor"));
    const blob = "y".repeat(15_000);
    // Each awareness change is ~15 KB fanned out to the paused socket; 300 a second stays under the rate cap.
    for (let i = 0; i < 1500; i++) {
      talker.provider.awareness.setLocalStateField("blob", `${i}-${blob}`);
      if (i % 30 === 29) {
        await new Promise((r) => setTimeout(r, 100));
        if ((await closes(4430)) > 0) break;
      }
    }
    expect(await closes(4430)).toBe(1);
    expect(talker.closes).toEqual([]);
  });

  it("a socket that never answers pings is closed with 4408", async () => {
    const before = await closes(4408);
    const silent = await openTcpWebSocket(server.url, owner);
    silent.socket.pause(); // never reads, so never answers a ping
    const healthy = await connectClient(server.url, owner);
    await eventually(async () => expect(await closes(4408)).toBe(before + 1), 12_000, 200);
    expect(healthy.closes).toEqual([]);
    silent.socket.destroy();
  });
});
