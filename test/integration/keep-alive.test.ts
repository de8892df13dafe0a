import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

// An idle keep-alive connection stays open for HTTP_KEEP_ALIVE_MS (65 s by default), longer than
// clients and load balancers keep theirs (Node's default of 5 s closed it under them: a request
// sent at that moment failed with "socket hang up").
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** GET `path` through `agent`; resolves with the status, the Keep-Alive header and the local port of the socket used. */
function get(agent: http.Agent, path: string): Promise<{ status: number; keepAlive: string | undefined; port: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, server.url), { agent }, (res) => {
      const port = res.socket.localPort!;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, keepAlive: res.headers["keep-alive"] as string | undefined, port }));
    });
    req.on("error", reject);
  });
}

describe("HTTP keep-alive", () => {
  it("keeps an idle connection open past Node's old 5 s, and says for how long", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent, "/healthz");
      expect(first.status).toBe(200);
      expect(first.keepAlive).toBe("timeout=65");
      let closed = false;
      const socket = Object.values(agent.freeSockets)[0]?.[0];
      expect(socket).toBeDefined();
      socket!.once("close", () => (closed = true));
      // The idle time is what is tested: longer than the old server-side timeout.
      await new Promise((r) => setTimeout(r, 6500));
      expect(closed).toBe(false);
      const second = await get(agent, "/healthz");
      expect(second.status).toBe(200);
      expect(second.port).toBe(first.port);
    } finally {
      agent.destroy();
    }
  }, 30_000);
});
