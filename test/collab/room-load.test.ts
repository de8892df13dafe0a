import { eq, sql } from "drizzle-orm";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { storedChecksum } from "../../db/checksum";
import { exec, rows } from "../../db/store";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { sameDatabase, withServerStore } from "../helpers/stores";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { DEMO_BRIEFING, eventually, rawSocket } from "../helpers/yclient";

/**
 * A room whose stored document is one snapshot serves that snapshot as read to a client syncing
 * from nothing, instead of encoding the document it just decoded again. The snapshot here is a
 * valid but differently encoded update (Y.mergeUpdates), so only the stored bytes themselves match.
 * On SQLite and on PostgreSQL.
 */

let server: TestServer | undefined;
let env: DialectServer | undefined;

function syncStep1(stateVector: Uint8Array): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // sync
  encoding.writeVarUint(e, 0); // step 1
  encoding.writeVarUint8Array(e, stateVector);
  return Buffer.from(encoding.toUint8Array(e));
}

/** The payload of the first sync step 2 among the messages, if any. */
function syncStep2(messages: Buffer[]): Uint8Array | undefined {
  for (const m of messages) {
    const d = decoding.createDecoder(new Uint8Array(m));
    if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) continue;
    return decoding.readVarUint8Array(d);
  }
  return undefined;
}

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`loading a room from a snapshot on ${dialect.name}`, () => {
    afterAll(async () => {
      await server?.stop();
      await env?.close();
    });

    it("sends the stored snapshot bytes unchanged to a client that syncs from nothing", { timeout: 60_000 }, async () => {
      env = await dialect.start();
      const first = env.server;
      await first.stop();

      const bytes = await withServerStore(first, async (store) => {
        const [row] = await rows<{ state: Buffer }>(store, sql`select state from document_snapshots where briefing_id = ${DEMO_BRIEFING}`);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, row.state);
        // Text typed and then deleted, in two updates: merged, the deleted words are still in the
        // bytes; a document that decoded them garbage-collects them and encodes something shorter.
        const updates: Uint8Array[] = [new Uint8Array(row.state)];
        doc.on("update", (u: Uint8Array) => updates.push(u));
        const added = new Y.XmlText("Stored as a merged update, typed then removed");
        doc.getXmlFragment("default").insert(0, [new Y.XmlText("Stored as a merged update"), added]);
        added.delete(0, added.length);
        const merged = Y.mergeUpdates(updates);
        expect(Buffer.compare(Buffer.from(merged), Buffer.from(Y.encodeStateAsUpdate(doc)))).not.toBe(0);
        const stored = Buffer.from(merged);
        await exec(store, (db, t) => db.update(t.documentSnapshots).set({ state: stored, checksum: storedChecksum(stored) }).where(eq(t.documentSnapshots.briefingId, DEMO_BRIEFING)));
        const [log] = await rows<{ n: number }>(store, sql`select cast(count(*) as integer) as "n" from document_updates where briefing_id = ${DEMO_BRIEFING}`);
        expect(log.n).toBe(0);
        return stored;
      });

      server = await startTestServer(sameDatabase(first));
      const cookie = await loginAs(server.url, "viewer");
      const socket = rawSocket(server.url, cookie);
      await socket.opened;
      socket.ws.send(syncStep1(Y.encodeStateVector(new Y.Doc())));
      const served = await eventually(() => {
        const update = syncStep2(socket.messages);
        expect(update).toBeDefined();
        return update!;
      }, 15_000);
      expect(Buffer.from(served).equals(bytes)).toBe(true);

      const received = new Y.Doc();
      Y.applyUpdate(received, served);
      expect(received.getXmlFragment("default").get(0).toString()).toContain("Stored as a merged update");
      socket.ws.close();
    });
  });
}
