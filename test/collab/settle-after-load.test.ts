import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { presenceFor } from "../../server/collab/awareness-guard";
import { CLOSE } from "../../server/collab/close-codes";
import { RoomRegistry } from "../../server/collab/rooms";
import { createLogger } from "../../server/logger";
import { createSqliteDocumentStore } from "../../server/persistence/document-store";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID, seedDemo } from "../../server/seed/demo";
import { openSqliteStore } from "../../db/store";
import { registryOptions } from "../helpers/registry";
import { tempDir } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * The settle step (projection, review checks, history) after a room loads a document with logged
 * updates (ADR 0206): it is debounced like a change's, so a visit that edits settles once for its
 * load and its edit, and a visit that leaves without editing still settles before the room unloads.
 * Real registry, real SQLite file, real y-websocket clients.
 */

const logger = createLogger("silent");
const editor = { userId: "demo-editor", sessionId: "s-editor", sessionExpiresAt: Date.now() + 3_600_000, role: "editor" as const, presence: presenceFor({ id: "demo-editor", name: "Emre", color: "#2f6fab" }) };
/** Long enough that a client on a busy machine syncs and edits within it after the load. */
const SETTLE_MS = 2000;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  destroyAllClients();
  for (const stop of stops.splice(0)) await stop();
});

async function seededFile(): Promise<string> {
  const file = path.join(tempDir(), "settle.db");
  const db = openDatabase(file);
  migrateDatabase(db);
  await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
  db.$client.close();
  return file;
}

/** One process's registry on `file`, counting the settles it emits for the demo briefing. */
async function instance(file: string) {
  const db: Db = openDatabase(file);
  const registry = new RoomRegistry(openSqliteStore(db), createSqliteDocumentStore(db), registryOptions({ settleMs: SETTLE_MS }), logger);
  const settles: string[] = [];
  registry.onSettled((briefingId, room) => settles.push(`${briefingId}:${firstParagraph(room.doc).toString().slice(0, 20)}`));
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => void registry.connect(ws, DEMO_BRIEFING_ID, editor, DEMO_TEAM_ID, false));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await registry.shutdown(CLOSE.serverRestarting);
    wss.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    db.$client.close();
  };
  stops.push(stop);
  return { registry, url, settles, stop };
}

function logRows(file: string): number {
  const db = openDatabase(file);
  try {
    return (db.$client.prepare("select count(*) as n from document_updates where briefing_id = ?").get(DEMO_BRIEFING_ID) as { n: number }).n;
  } finally {
    db.$client.close();
  }
}

/** A stored briefing whose log holds one update (a short visit is not compacted at unload). */
async function fileWithLoggedUpdate(): Promise<string> {
  const file = await seededFile();
  const first = await instance(file);
  const client = await connectClient(first.url, null);
  firstParagraph(client.doc).insert(0, "Logged. ");
  await eventually(() => expect(first.registry.stats().pendingUpdates).toBe(0), 15_000);
  client.destroy();
  await eventually(() => expect(first.registry.stats().rooms).toBe(0), 15_000);
  await first.stop();
  expect(logRows(file)).toBe(1);
  return file;
}

describe("settling after a room loads", { timeout: 60_000 }, () => {
  it("settles once for a visit that loads a logged update and edits, with the edit in it", async () => {
    const file = await fileWithLoggedUpdate();
    const { registry, url, settles } = await instance(file);
    const client = await connectClient(url, null);
    firstParagraph(client.doc).insert(0, "Edited. ");
    await eventually(() => expect(settles.length).toBeGreaterThanOrEqual(1), 15_000);
    client.destroy();
    await eventually(() => expect(registry.stats().rooms).toBe(0), 15_000);
    // Before: one settle right after the load (the logged state) and one after the edit.
    expect(settles).toHaveLength(1);
    expect(settles[0]).toContain("Edited. Logged. ");
  });

  it("still settles a logged update when the visit leaves before the debounce, as the room unloads", async () => {
    const file = await fileWithLoggedUpdate();
    const { registry, url, settles } = await instance(file);
    const client = await connectClient(url, null);
    client.destroy();
    await eventually(() => expect(registry.stats().rooms).toBe(0), 15_000);
    expect(settles).toHaveLength(1);
    expect(settles[0]).toContain("Logged. ");
  });

  it("settles a logged update within the debounce while the visit stays", async () => {
    const file = await fileWithLoggedUpdate();
    const { settles, url } = await instance(file);
    await connectClient(url, null);
    await eventually(() => expect(settles).toHaveLength(1), 15_000);
    expect(settles[0]).toContain("Logged. ");
  });

  it("does not settle a document stored as one snapshot that nobody edits", async () => {
    const file = await seededFile();
    const { registry, url, settles } = await instance(file);
    const client = await connectClient(url, null);
    client.destroy();
    await eventually(() => expect(registry.stats().rooms).toBe(0), 15_000);
    expect(settles).toEqual([]);
  });
});
