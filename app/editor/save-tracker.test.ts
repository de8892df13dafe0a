import * as decoding from "lib0/decoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../../test/helpers/http";
import { startTestServer, type TestServer } from "../../test/helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../../test/helpers/yclient";
import { SaveTracker } from "./save-tracker";

/**
 * The save indicator's "Saved" against the real collaboration server: it must never claim a change
 * is saved before the server has it, and must get there once it does.
 */
describe("SaveTracker over the real y-websocket server", () => {
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer();
    cookie = await loginAs(server.url, "editor");
  });
  afterEach(() => destroyAllClients());
  afterAll(() => server?.stop());

  /** What a fresh client syncing from the server sees right now. */
  async function serverText() {
    const reader = await connectClient(server.url, cookie);
    const text = body(reader.doc).toString();
    reader.destroy();
    return text;
  }

  it("is saved after the handshake, unsaved right after an edit, and saved once the server has it", async () => {
    const client = await connectClient(server.url, cookie, { reconnect: true });
    const tracker = new SaveTracker(client.doc, client.provider);
    // Attached after the first sync: the next probe answer settles it.
    client.provider.disconnect();
    client.provider.connect();
    await eventually(() => expect(tracker.saved).toBe(true), 5000);

    const seenWhenSaved: string[] = [];
    tracker.subscribe(() => {
      if (tracker.saved) seenWhenSaved.push("saved");
    });
    firstParagraph(client.doc).insert(0, "TRACKED EDIT ");
    expect(tracker.saved).toBe(false);
    expect(tracker.hasUnconfirmedChanges).toBe(true);
    await eventually(() => expect(tracker.saved).toBe(true), 5000);
    expect(seenWhenSaved.length).toBeGreaterThan(0);
    expect(await serverText()).toContain("TRACKED EDIT");
    tracker.destroy();
  });

  it("keeps edits made while disconnected unconfirmed until the reconnect delivers them", async () => {
    const client = await connectClient(server.url, cookie, { reconnect: true });
    const tracker = new SaveTracker(client.doc, client.provider);
    client.provider.disconnect();
    firstParagraph(client.doc).insert(0, "OFFLINE EDIT ");
    expect(tracker.saved).toBe(false);
    // A whole reader handshake later the server still lacks the edit, and the tracker knows it.
    expect(await serverText()).not.toContain("OFFLINE EDIT");
    expect(tracker.saved).toBe(false);
    expect(tracker.hasUnconfirmedChanges).toBe(true);

    client.provider.connect();
    await eventually(() => expect(tracker.saved).toBe(true), 5000);
    expect(await serverText()).toContain("OFFLINE EDIT");
    tracker.destroy();
  });

  it("a burst of typing sends one probe at a time and ends saved with every keystroke stored", async () => {
    const client = await connectClient(server.url, cookie, { reconnect: true });
    const tracker = new SaveTracker(client.doc, client.provider);
    client.provider.disconnect();
    client.provider.connect();
    await eventually(() => expect(tracker.saved).toBe(true), 5000);
    // From here on every sync step 1 on this socket is a probe and every step 2 its answer: count
    // what actually goes over the wire in both directions.
    const ws = client.provider.ws!;
    const wire = { probes: 0, answers: 0, maxInFlight: 0 };
    const syncType = (data: ArrayBuffer | Uint8Array) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      return decoding.readVarUint(decoder) === 0 ? decoding.readVarUint(decoder) : -1;
    };
    const send = ws.send.bind(ws);
    ws.send = (data: Parameters<WebSocket["send"]>[0]) => {
      if (syncType(data as Uint8Array) === syncProtocol.messageYjsSyncStep1) {
        wire.probes++;
        wire.maxInFlight = Math.max(wire.maxInFlight, wire.probes - wire.answers);
      }
      send(data);
    };
    ws.addEventListener("message", (event: MessageEvent) => {
      // Only answers to probes counted here: on a busy machine the answer to the reconnect's own
      // handshake step 1 can still be on its way, and would otherwise read as answering a probe
      // before it was sent.
      if (syncType(event.data as ArrayBuffer) === syncProtocol.messageYjsSyncStep2 && wire.answers < wire.probes) wire.answers++;
    });

    const text = firstParagraph(client.doc);
    const keys = "burst-of-keys";
    for (let i = 0; i < keys.length; i += 2) {
      // One key, then the next right after the probe for it left: that one is typed while a probe is out.
      const probesBefore = wire.probes;
      text.insert(0, keys[i]);
      await eventually(() => expect(wire.probes).toBeGreaterThan(probesBefore), 5000);
      if (i + 1 < keys.length) text.insert(0, keys[i + 1]);
    }
    await eventually(() => expect(tracker.saved).toBe(true), 5000);
    expect(wire.maxInFlight).toBe(1);
    expect(wire.answers).toBe(wire.probes);
    expect(wire.probes).toBeGreaterThanOrEqual(Math.ceil(keys.length / 2));
    expect(wire.probes).toBeLessThanOrEqual(keys.length);
    const stored = await serverText();
    expect(stored).toContain("syek-fo-tsrub");
    tracker.destroy();
  });

  it("restores the provider's own sync handler on destroy", async () => {
    const client = await connectClient(server.url, cookie);
    const original = client.provider.messageHandlers[0];
    const tracker = new SaveTracker(client.doc, client.provider);
    expect(client.provider.messageHandlers[0]).not.toBe(original);
    tracker.destroy();
    expect(client.provider.messageHandlers[0]).toBe(original);
    // A plain update still syncs after the tracker is gone.
    firstParagraph(client.doc).insert(0, "AFTER DESTROY ");
    await eventually(async () => expect(await serverText()).toContain("AFTER DESTROY"), 5000);
    expect(client.doc).toBeInstanceOf(Y.Doc);
  });
});
