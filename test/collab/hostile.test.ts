import net from "node:net";
import Database from "better-sqlite3";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { storedChecksum } from "../../db/checksum";
import { awarenessMessage, updateMessage } from "../../server/collab/protocol";
import { get, loginAs, postForm } from "../helpers/http";
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
  type YClient,
} from "../helpers/yclient";
import { frame, openTcpWebSocket } from "./raw-frames";

const TOKEN = "hostile-metrics";
const MARKER = "hostile-suite-marker";
let server: TestServer;
let owner: string;
let bystander: YClient;

beforeAll(async () => {
  server = await startTestServer({
    env: { METRICS_TOKEN: TOKEN, COLLAB_MAX_MESSAGES_PER_SECOND: "100", COLLAB_MAX_CONNECTIONS_PER_USER: "80" },
  });
  owner = await loginAs(server.url, "owner");
  const writer = await connectClient(server.url, owner);
  firstParagraph(writer.doc).insert(0, MARKER);
  bystander = await connectClient(server.url, await loginAs(server.url, "editor"), { reconnect: false });
  await eventually(() => expect(body(bystander.doc).toString()).toContain(MARKER));
  writer.destroy();
});
afterEach(() => {
  for (const c of [bystander]) expect(c.closes).toEqual([]);
});
afterAll(async () => {
  bystander?.destroy();
  destroyAllClients();
  expect(await server?.stop()).toBe(0);
});

let edits = 0;
/** The process is alive, a fresh client syncs the earlier content, and the bystander still gets live edits. */
async function stillHealthy(): Promise<void> {
  expect((await get(server.url, "/healthz")).status).toBe(200);
  const fresh = await connectClient(server.url, owner);
  expect(body(fresh.doc).toString()).toContain(MARKER);
  const word = `alive-${++edits}-`;
  firstParagraph(fresh.doc).insert(0, word);
  await eventually(() => expect(firstParagraph(bystander.doc).toString()).toContain(word));
  fresh.destroy();
}

async function closeCodeAfter(bytes: Buffer[]): Promise<{ code: number; reason: string } | null> {
  const tcp = await openTcpWebSocket(server.url, owner);
  for (const b of bytes) tcp.send(b);
  const close = await Promise.race([tcp.closeFrame, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
  tcp.socket.destroy();
  return close;
}

describe("bad frames close only that socket", () => {
  const binary = (payload: number[]) => Buffer.from(payload);
  const cases: [string, Buffer[], number][] = [
    ["reserved opcode", [frame(0x3, binary([3]))], 4400],
    ["RSV bits without an extension", [frame(0x2, binary([3]), { rsv: 4 })], 4400],
    ["unmasked client frame", [frame(0x2, binary([3]), { mask: false })], 4400],
    ["continuation without a start", [frame(0x0, binary([3]))], 4400],
    ["oversized control frame", [frame(0x9, Buffer.alloc(200))], 4400],
    ["fragmented ping", [frame(0x9, binary([1]), { fin: false })], 4400],
    ["close with an invalid code", [frame(0x8, binary([0x03, 0xe7]))], 4400],
    ["invalid UTF-8 in a text frame", [frame(0x1, binary([0xc3, 0x28]))], 4400],
    ["text frame", [frame(0x1, Buffer.from("hello"))], 4400],
    ["absurd length (2^63-1)", [frame(0x2, Buffer.alloc(0), { declaredLength: 2n ** 63n - 1n })], 4413],
    ["64 MiB announced", [frame(0x2, Buffer.alloc(0), { declaredLength: 64n * 1024n * 1024n })], 4413],
  ];
  for (const [name, bytes, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const close = await closeCodeAfter(bytes);
      expect(close?.code).toBe(code);
      expect(close?.reason.length).toBeGreaterThan(0);
      await stillHealthy();
    });
  }
});

describe("garbage y-websocket messages", () => {
  const validUpdate = (() => {
    const d = new Y.Doc();
    d.getText("x").insert(0, "some text that makes a longer update");
    return Y.encodeStateAsUpdate(d);
  })();
  const cases: [string, Buffer][] = [
    ["empty message", Buffer.alloc(0)],
    ["unknown message type", Buffer.from([7])],
    ["auth message from a client", Buffer.from([2, 0])],
    ["unknown sync step", Buffer.from([0, 5, 0])],
    ["length beyond the message", Buffer.from([0, 2, 40, 1, 2, 3])],
    ["varint overflow", Buffer.from([0, 2, 10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ["truncated Yjs update", Buffer.from(updateMessage(validUpdate.subarray(0, Math.floor(validUpdate.length / 2))))],
    ["trailing bytes", Buffer.concat([Buffer.from(updateMessage(validUpdate)), Buffer.from([9, 9])])],
    ["garbage state vector", Buffer.from([0, 0, 3, 0xff, 0xff, 0xff])],
    ["awareness with bad JSON", Buffer.from(awarenessMessage(Buffer.from([1, 5, 1, 3, 0x7b, 0x7b, 0x7b])))],
    ["awareness entry count beyond the message", Buffer.from(awarenessMessage(Buffer.from([200, 1])))],
  ];
  for (const [name, bytes] of cases) {
    it(`${name} → 4400, content intact`, async () => {
      const close = await closeCodeAfter([frame(0x2, bytes)]);
      expect(close?.code).toBe(4400);
      expect(close?.reason).toMatch(/malformed/);
      await stillHealthy();
    });
  }

  it("200 random messages never crash the server or change stored content", async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const before = body(bystander.doc).toString();
    for (let i = 0; i < 20; i++) {
      const tcp = await openTcpWebSocket(server.url, owner);
      for (let k = 0; k < 10; k++) {
        const payload = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 60) }, () => Math.floor(rand() * 256)));
        // Half of them are framed as sync updates so the Yjs decoder itself sees garbage.
        tcp.send(frame(0x2, k % 2 ? payload : Buffer.from(updateMessage(payload))));
      }
      // Then a normal close of our own: the server answers it (1000) only if the garbage left the
      // socket open, so the first close frame is either the garbage's or that answer, without a timer.
      tcp.send(frame(0x8, Buffer.from([0x03, 0xe8])));
      const close = await tcp.closeFrame;
      expect([4400, 4413, 1000]).toContain(close?.code);
      tcp.socket.destroy();
    }
    await stillHealthy();
    expect(body(bystander.doc).toString()).toContain(before.slice(before.indexOf(MARKER), before.indexOf(MARKER) + MARKER.length));
  });
});

describe("size, rate and connection floods", () => {
  it("a 64 MiB message closes that socket with 4413", async () => {
    const raw = rawSocket(server.url, owner);
    await raw.opened;
    raw.ws.send(Buffer.alloc(64 * 1024 * 1024, 1));
    const close = await raw.closed;
    expect(close.code).toBe(4413);
    expect(close.reason).toBe("message too large");
    await stillHealthy();
  });

  it("a flood of small messages closes that socket with 4429", async () => {
    const raw = rawSocket(server.url, owner);
    await raw.opened;
    for (let i = 0; i < 1000 && raw.ws.readyState === WebSocket.OPEN; i++) raw.ws.send(Buffer.from([3]));
    expect((await raw.closed).code).toBe(4429);
    expect(await metricValue(server.url, TOKEN, "summit_collab_rejected_messages_total", '{reason="rate_limit"}')).toBeGreaterThan(0);
    await stillHealthy();
  });

  it("~200 idle sockets (bare TCP and open WebSockets) do not stop anyone else", async () => {
    const url = new URL(server.url);
    const idleTcp = await Promise.all(
      Array.from({ length: 150 }, () => new Promise<net.Socket>((resolve) => {
        const s = net.connect(Number(url.port), url.hostname, () => resolve(s));
        s.on("error", () => {});
      })),
    );
    const idleWs = Array.from({ length: 50 }, () => rawSocket(server.url, owner));
    await Promise.all(idleWs.map((s) => s.opened));
    await stillHealthy();
    idleTcp.forEach((s) => s.destroy());
    idleWs.forEach((s) => s.ws.terminate());
    await eventually(async () => expect(await metricValue(server.url, TOKEN, "summit_collab_connections")).toBe(1));
  });

  it("odd and oversized ids are refused before the database", async () => {
    const h = { Cookie: owner, Origin: server.url };
    for (const id of ["%2e%2e", "%2e%2e%2fetc", "%00", "%C3%BC", "a".repeat(65), "a".repeat(5000), "x;drop%20table", "ankara-summit%20"]) {
      expect(await upgradeStatus(server.url, `/collab/${id}`, h)).toBe(400);
    }
    expect(await upgradeStatus(server.url, `/collab/${"a".repeat(64)}`, h)).toBe(404);
    expect(await upgradeStatus(server.url, `/collab/${"a".repeat(40_000)}`, h)).toBeGreaterThanOrEqual(400);
    await stillHealthy();
  });
});

describe("storage faults", () => {
  it("a briefing whose stored state is corrupt closes with 4500 and its stored state is left untouched", async () => {
    const res = await postForm(server.url, "/teams/demo-kz-tr-desk?index", owner, {
      intent: "create",
      title: "Corrupted",
      summitName: "Test",
      city: "Baku",
      startDate: "2027-02-01",
      endDate: "2027-02-02",
      classification: "UNCLASSIFIED",
    });
    const briefingId = res.headers.get("location")!.split("/").pop()!;
    const garbage = Buffer.from([0xff, 0xff, 0xff]);
    const db = new Database(server.databasePath);
    // With a matching checksum: bytes stored intact that are not Yjs (a damaged row is 4510, see corruption.test.ts).
    db.prepare("update document_snapshots set state = ?, checksum = ? where briefing_id = ?").run(garbage, storedChecksum(garbage), briefingId);
    const client = await connectClient(server.url, owner, { briefingId, waitForSync: false });
    await eventually(() => expect(client.closes.map((c) => c.code)).toEqual([4500]));
    client.destroy();
    const row = db.prepare("select state from document_snapshots where briefing_id = ?").get(briefingId) as { state: Buffer };
    expect(Buffer.compare(row.state, garbage)).toBe(0);
    expect((db.prepare("select count(*) as n from document_updates where briefing_id = ?").get(briefingId) as { n: number }).n).toBe(0);
    db.close();
    expect(await metricValue(server.url, TOKEN, "summit_collab_rooms")).toBe(1); // only the bystander's
    expect(server.logs.some((l) => l.message === "collab room load failed")).toBe(true);
    await stillHealthy();
  });
});
