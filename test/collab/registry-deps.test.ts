import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { WebSocketServer } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { exec, rows } from "../../db/store";
import { presenceFor } from "../../server/collab/awareness-guard";
import { CLOSE } from "../../server/collab/close-codes";
import type { CollabMetrics } from "../../server/collab/collab-metrics";
import { createLocalFanoutHub, noFanout, type RoomFanout } from "../../server/collab/fanout";
import { BriefingNotEditableError, RoomRegistry } from "../../server/collab/rooms";
import { createLogger } from "../../server/logger";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID } from "../../server/seed/demo";
import { recordingMetrics } from "../helpers/collab-metrics";
import { registryOptions } from "../helpers/registry";
import { seededDatabase, testDialects, type SeededDatabase } from "../helpers/stores";
import { connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

const logger = createLogger("silent");
const editor = { userId: "demo-editor", sessionId: "s-editor", sessionExpiresAt: Date.now() + 3_600_000, role: "editor" as const, presence: presenceFor({ id: "demo-editor", name: "Emre", color: "#2f6fab" }) };

/**
 * A registry as one server process would have it, on a real database (a SQLite file, or a
 * PostgreSQL database) of its own connection and a real WebSocket server, with the metrics and
 * fan-out this test passes in (no upgrade checks: every socket is the editor).
 */
async function instance(database: SeededDatabase, metrics: CollabMetrics, fanout: RoomFanout) {
  const connection = database.connect();
  const registry = new RoomRegistry(connection.store, connection.documents, registryOptions({ metrics, fanout }), logger);
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => void registry.connect(ws, DEMO_BRIEFING_ID, editor, DEMO_TEAM_ID, false));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    await registry.shutdown(CLOSE.serverRestarting);
    wss.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await connection.close();
  };
  stops.push(stop);
  return { registry, url };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  destroyAllClients();
  for (const stop of stops.splice(0)) await stop();
});

for (const dialect of testDialects()) {
  describe.skipIf(!dialect.available)(`room registry with injected metrics and fan-out on ${dialect.name}`, { timeout: 60_000 }, () => {
    const databases: SeededDatabase[] = [];
    /** A fresh seeded database, dropped after the test. */
    async function seeded(): Promise<SeededDatabase> {
      const database = await seededDatabase(dialect);
      databases.push(database);
      return database;
    }
    afterEach(async () => {
      for (const stop of stops.splice(0)) await stop();
      for (const database of databases.splice(0)) await database.dispose();
    });

    it("reports loads, updates, stores and closes to the metrics object it was given", async () => {
      const { metrics, counts } = recordingMetrics();
      const { url, registry } = await instance(await seeded(), metrics, noFanout);
      const client = await connectClient(url, null);
      expect(counts.roomLoaded).toBe(1);
      firstParagraph(client.doc).insert(0, "Injected. ");
      await eventually(() => expect(counts.updatesStored).toBeGreaterThanOrEqual(1), 15_000);
      expect(counts.updateReceived).toBeGreaterThanOrEqual(1);
      await registry.shutdown(CLOSE.serverRestarting);
      expect(counts.closed.get(CLOSE.serverRestarting.code)).toBe(1);
    });

    it("an edit on one process's room reaches a client of the same briefing on another, stored once", async () => {
      const database = await seeded();
      const hub = createLocalFanoutHub();
      const a = await instance(database, recordingMetrics().metrics, hub.member());
      const b = await instance(database, recordingMetrics().metrics, hub.member());
      const onA = await connectClient(a.url, null);
      const onB = await connectClient(b.url, null);
      firstParagraph(onA.doc).insert(0, "Across processes. ");
      await eventually(() => expect(firstParagraph(onB.doc).toString()).toContain("Across processes. "), 15_000);
      firstParagraph(onB.doc).insert(0, "Back. ");
      await eventually(() => expect(firstParagraph(onA.doc).toString()).toMatch(/^Back\. Across processes\. /), 15_000);
      // Each process stores only what its own clients sent: the log holds each edit once.
      await eventually(() => expect(a.registry.stats().pendingUpdates + b.registry.stats().pendingUpdates).toBe(0), 15_000);
      const check = database.connect();
      const [log] = await rows<{ n: number }>(check.store, sql`select cast(count(*) as integer) as "n" from document_updates where briefing_id = ${DEMO_BRIEFING_ID}`);
      await check.close();
      expect(log.n).toBe(2);
    });

    it("a fan-out that refuses an update is counted and logged; the edit is still stored and served", async () => {
      const { metrics, counts } = recordingMetrics();
      const failing: RoomFanout = { publish: () => Promise.reject(new Error("bus down")), subscribe: () => () => {} };
      const { url, registry } = await instance(await seeded(), metrics, failing);
      const client = await connectClient(url, null);
      firstParagraph(client.doc).insert(0, "Still here. ");
      await eventually(() => expect(counts.fanoutFailed).toBe(1), 15_000);
      await eventually(() => expect(registry.stats().pendingUpdates).toBe(0), 15_000);
      expect(counts.updatesStored).toBe(1);
    });

    it("a change with nobody connected loads the room, stores the change and unloads the room", async () => {
      const database = await seeded();
      const { registry } = await instance(database, recordingMetrics().metrics, noFanout);
      // The room is loaded for the change alone: it must stay until the change is applied, even
      // when the status read that follows the load waits on the database.
      await registry.change(DEMO_BRIEFING_ID, "demo-editor", (doc) => firstParagraph(doc).insert(0, "Unattended. "));
      await eventually(() => expect(registry.get(DEMO_BRIEFING_ID)).toBeUndefined(), 15_000);
      const check = database.connect();
      const stored = await check.documents.load(DEMO_BRIEFING_ID);
      await check.close();
      const doc = new Y.Doc();
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      expect(firstParagraph(doc).toString()).toMatch(/^Unattended\. /);
    });

    it("refuses a change on a person's behalf once the briefing is final, at the moment of writing", async () => {
      const database = await seeded();
      const { url, registry } = await instance(database, recordingMetrics().metrics, noFanout);
      const client = await connectClient(url, null);
      // Allowed while the briefing is a draft: the client sees the server's change.
      await registry.change(DEMO_BRIEFING_ID, "demo-editor", (doc) => firstParagraph(doc).insert(0, "Accepted. "));
      await eventually(() => expect(firstParagraph(client.doc).toString()).toMatch(/^Accepted\. /), 15_000);
      // Finalized by another request (another connection to the same database) while the room stays open,
      // and announced as the status route does right after its write (the collab layer's briefingChanged).
      const other = database.connect();
      await exec(other.store, (db, t) => db.update(t.briefings).set({ status: "final" }).where(eq(t.briefings.id, DEMO_BRIEFING_ID)));
      // Not awaited: a change asked for while that read is in flight waits for it.
      void registry.briefingChanged(DEMO_BRIEFING_ID);
      let ran = false;
      const tooLate = (doc: Y.Doc) => {
        ran = true;
        firstParagraph(doc).insert(0, "Too late. ");
      };
      const refused = registry.change(DEMO_BRIEFING_ID, "demo-editor", tooLate);
      await expect(refused).rejects.toBeInstanceOf(BriefingNotEditableError);
      await expect(refused).rejects.toMatchObject({ code: "BRIEFING_NOT_EDITABLE", reason: "final" });
      expect(ran).toBe(false);
      expect(firstParagraph(client.doc).toString()).not.toContain("Too late. ");
      // With nobody connected the change loads the room itself and reads the briefing for it.
      client.destroy();
      await eventually(() => expect(registry.get(DEMO_BRIEFING_ID)).toBeUndefined(), 15_000);
      await expect(registry.change(DEMO_BRIEFING_ID, "demo-editor", tooLate)).rejects.toMatchObject({ reason: "final" });
      expect(ran).toBe(false);
      await exec(other.store, (db, t) => db.delete(t.briefings).where(eq(t.briefings.id, DEMO_BRIEFING_ID)));
      await other.close();
      await expect(registry.change(DEMO_BRIEFING_ID, "demo-editor", () => {})).rejects.toMatchObject({ reason: "deleted" });
    });
  });
}
