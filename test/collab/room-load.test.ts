import Database from "better-sqlite3";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { storedChecksum } from "../../db/checksum";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { DEMO_BRIEFING, eventually, rawSocket } from "../helpers/yclient";

/**
 * A room whose stored document is one snapshot serves that snapshot as read to a client syncing
 * from nothing, instead of encoding the document it just decoded again. The snapshot here is a
 * valid but differently encoded update (Y.mergeUpdates), so only the stored bytes themselves match.
 */

let server: TestServer | undefined;
afterAll(async () => {
  await server?.stop();
});

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

describe("loading a room from a snapshot", () => {
  it("sends the stored snapshot bytes unchanged to a client that syncs from nothing", async () => {
    const first = await startTestServer();
    const databasePath = first.databasePath;
    await first.stop();

    const db = new Database(databasePath);
    const row = db.prepare("select state from document_snapshots where briefing_id = ?").get(DEMO_BRIEFING) as { state: Buffer };
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
    const bytes = Buffer.from(merged);
    db.prepare("update document_snapshots set state = ?, checksum = ? where briefing_id = ?").run(bytes, storedChecksum(bytes), DEMO_BRIEFING);
    expect((db.prepare("select count(*) as n from document_updates where briefing_id = ?").get(DEMO_BRIEFING) as { n: number }).n).toBe(0);
    db.close();

    server = await startTestServer({ databasePath });
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
