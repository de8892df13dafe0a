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
    await new Promise((r) => setTimeout(r, 300));
    expect(tracker.saved).toBe(false);
    expect(tracker.hasUnconfirmedChanges).toBe(true);
    expect(await serverText()).not.toContain("OFFLINE EDIT");

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
    const text = firstParagraph(client.doc);
    for (const ch of "burst-of-keys") {
      text.insert(0, ch);
      await new Promise((r) => setTimeout(r, 10));
    }
    await eventually(() => expect(tracker.saved).toBe(true), 5000);
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
