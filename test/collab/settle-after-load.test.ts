import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { WebSocketServer } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { rows } from "../../db/store";
import { presenceFor } from "../../server/collab/awareness-guard";
import { CLOSE } from "../../server/collab/close-codes";
import { RoomRegistry } from "../../server/collab/rooms";
import { createLogger } from "../../server/logger";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID } from "../../server/seed/demo";
import { registryOptions } from "../helpers/registry";
import { seededDatabase, testDialects, type Dialect, type SeededDatabase } from "../helpers/stores";
import { connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * The settle step (projection, review checks, history) after a room loads a document with logged
 * updates (ADR 0206): it is debounced like a change's, so a visit that edits settles once for its
 * load and its edit, and a visit that leaves without editing still settles before the room unloads.
 * Real registry, real database (a SQLite database, and a PostgreSQL database), real y-websocket clients.
 */

const logger = createLogger("silent");
const editor = { userId: "demo-editor", sessionId: "s-editor", sessionExpiresAt: Date.now() + 3_600_000, role: "editor" as const, presence: presenceFor({ id: "demo-editor", name: "Emre", color: "#2f6fab" }) };
/** Long enough that a client on a busy machine syncs and edits within it after the load. */
const SETTLE_MS = 2000;

const stops: (() => Promise<void>)[] = [];
const databases: SeededDatabase[] = [];
afterEach(async () => {
  destroyAllClients();
  for (const stop of stops.splice(0)) await stop();
  for (const database of databases.splice(0)) await database.dispose();
});

/** One process's registry on `database`, counting the settles it emits for the demo briefing. */
async function instance(database: SeededDatabase) {
  const connection = database.connect();
  const registry = new RoomRegistry(connection.store, connection.documents, registryOptions({ settleMs: SETTLE_MS }), logger);
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
    await connection.close();
  };
  stops.push(stop);
  return { registry, url, settles, stop };
}

async function logRows(database: SeededDatabase): Promise<number> {
  const { store, close } = database.connect();
  try {
    const [log] = await rows<{ n: number }>(store, sql`select cast(count(*) as integer) as "n" from document_updates where briefing_id = ${DEMO_BRIEFING_ID}`);
    return log.n;
  } finally {
    await close();
  }
}

/** A fresh seeded database of `dialect`, disposed of after the test. */
async function seeded(dialect: Dialect): Promise<SeededDatabase> {
  const database = await seededDatabase(dialect);
  databases.push(database);
  return database;
}

/** A stored briefing whose log holds one update (a short visit is not compacted at unload). */
async function databaseWithLoggedUpdate(dialect: Dialect): Promise<SeededDatabase> {
  const database = await seeded(dialect);
  const first = await instance(database);
  const client = await connectClient(first.url, null);
  firstParagraph(client.doc).insert(0, "Logged. ");
  await eventually(() => expect(first.registry.stats().pendingUpdates).toBe(0), 15_000);
  client.destroy();
  await eventually(() => expect(first.registry.stats().rooms).toBe(0), 15_000);
  await first.stop();
  expect(await logRows(database)).toBe(1);
  return database;
}

for (const dialect of testDialects()) {
  describe.skipIf(!dialect.available)(`settling after a room loads on ${dialect.name}`, { timeout: 60_000 }, () => {
    it("settles once for a visit that loads a logged update and edits, with the edit in it", async () => {
      const database = await databaseWithLoggedUpdate(dialect);
      const { registry, url, settles } = await instance(database);
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
      const database = await databaseWithLoggedUpdate(dialect);
      const { registry, url, settles } = await instance(database);
      const client = await connectClient(url, null);
      client.destroy();
      await eventually(() => expect(registry.stats().rooms).toBe(0), 15_000);
      expect(settles).toHaveLength(1);
      expect(settles[0]).toContain("Logged. ");
    });

    it("settles a logged update within the debounce while the visit stays", async () => {
      const database = await databaseWithLoggedUpdate(dialect);
      const { settles, url } = await instance(database);
      await connectClient(url, null);
      await eventually(() => expect(settles).toHaveLength(1), 15_000);
      expect(settles[0]).toContain("Logged. ");
    });

    it("does not settle a document stored as one snapshot that nobody edits", async () => {
      const database = await seeded(dialect);
      const { registry, url, settles } = await instance(database);
      const client = await connectClient(url, null);
      client.destroy();
      await eventually(() => expect(registry.stats().rooms).toBe(0), 15_000);
      expect(settles).toEqual([]);
    });
  });
}
