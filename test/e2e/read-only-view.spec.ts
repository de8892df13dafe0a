import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { getBriefingSchema } from "../../extensions";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser, loginAs } from "../helpers/http";
import { body, connectClient, destroyAllClients, eventually, metricValue } from "../helpers/yclient";

/**
 * A read-only person's editor (commenter, viewer) never changes its own copy of the document:
 * nothing it does locally reaches the server, so anything it wrote would be a view nobody else has.
 * The trap is the editor's own normalisation, such as the empty paragraph it appends after a
 * document that ends in a heading or a block.
 */
const run = browserAvailable();
const TOKEN = "read-only-view-metrics";
const HEADING = "Annex: open questions";

/** The text of each top-level block of the editor's document, from ProseMirror's own state. */
function blockTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector(".ProseMirror") as (HTMLElement & { editor?: { state: { doc: { forEach(f: (n: { textContent: string }) => void): void } } } }) | null;
    const out: string[] = [];
    root!.editor!.state.doc.forEach((n) => out.push(n.textContent));
    return out;
  });
}

/** The same, from the server's copy. */
async function serverBlocks(baseUrl: string, cookie: string): Promise<string[]> {
  const client = await connectClient(baseUrl, cookie);
  const doc = yXmlFragmentToProseMirrorRootNode(body(client.doc), getBriefingSchema());
  client.destroy();
  const texts: string[] = [];
  doc.forEach((n) => texts.push(n.textContent));
  return texts;
}

/** Updates the server dropped from read-only sockets (a live change, not a handshake's step 2). */
const dropped = (baseUrl: string) => metricValue(baseUrl, TOKEN, "summit_collab_rejected_messages_total", '{reason="read_only_update"}');

/** Records every binary frame the page sends on a WebSocket, before anything else runs. */
const RECORD_FRAMES = () => {
  const w = window as unknown as { __sentFrames: number[][] };
  w.__sentFrames = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (data instanceof Uint8Array) w.__sentFrames.push(Array.from(data));
    else if (data instanceof ArrayBuffer) w.__sentFrames.push(Array.from(new Uint8Array(data)));
    return send.call(this, data);
  };
};

/** The Yjs updates in the sync messages (step 2 and update) among recorded frames. */
function sentUpdates(frames: number[][]): Uint8Array[] {
  return frames
    .map((f) => Uint8Array.from(f))
    .filter((f) => f[0] === 0 && (f[1] === 1 || f[1] === 2))
    .map((f) => decoding.readVarUint8Array(((d) => (decoding.readVarUint(d), decoding.readVarUint(d), d))(decoding.createDecoder(f))));
}

describe.skipIf(!run)("a read-only view", () => {
  const env = useServerAndBrowser({ env: { METRICS_TOKEN: TOKEN } });

  it("writes nothing into its document, before or after the first sync, and shows what the editors see", async () => {
    const { server, browser } = env;
    const owner = await loginAs(server.url, "owner");
    // The briefing ends in a heading, after which the editor would add an empty paragraph.
    const writer = await connectClient(server.url, owner);
    const heading = new Y.XmlElement("heading");
    heading.setAttribute("level", 2 as unknown as string);
    heading.insert(0, [new Y.XmlText(HEADING)]);
    body(writer.doc).push([heading]);
    await eventually(async () => expect((await serverBlocks(server.url, owner)).at(-1)).toBe(HEADING), 10_000, 100);
    writer.destroy();
    expect(await dropped(server.url)).toBe(0);

    const context = await signedInContext(browser, server.url, demoUser("commenter").email);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript(RECORD_FRAMES);
    const frames: number[][] = [];
    const collect = async () => frames.push(...(await page.evaluate(() => (window as unknown as { __sentFrames: number[][] }).__sentFrames)));
    const open = async () => {
      await page.locator(".ProseMirror h2", { hasText: HEADING }).waitFor();
      await eventually(async () => expect(await page.getByTestId("save-status").getAttribute("data-state")).toBe("saved"), 20_000);
    };
    await page.goto("/briefings/ankara-summit");
    await open();
    // Its view is the server's document, block for block, and it sent no change.
    const sameAsServer = async (p: Page) => expect(await blockTexts(p)).toEqual(await serverBlocks(server.url, owner));
    await eventually(() => sameAsServer(page), 20_000, 200);
    // Opened again: now from its IndexedDB copy first, before the socket syncs.
    await collect();
    await page.reload();
    await open();
    await eventually(() => sameAsServer(page), 20_000, 200);

    // An editor opens it (and may normalise it for everyone); the commenter's view follows exactly.
    const editorContext = await signedInContext(browser, server.url, demoUser("editor").email);
    const editor = await editorContext.newPage();
    await editor.goto("/briefings/ankara-summit");
    await editor.locator(".ProseMirror h2", { hasText: HEADING }).waitFor();
    await eventually(async () => expect(await blockTexts(page)).toEqual(await blockTexts(editor)), 20_000, 200);
    await collect();
    await page.reload();
    await open();
    await eventually(async () => expect(await blockTexts(page)).toEqual(await blockTexts(editor)), 20_000, 200);
    await collect();
    // The editor's own normalisation reaches the server a moment after its view has it.
    await eventually(() => sameAsServer(editor), 20_000, 200);

    // The commenter's socket never carried a document change: no update message was dropped, and
    // its handshake answers (sync step 2) hold nothing the server's document lacks.
    expect(await dropped(server.url)).toBe(0);
    const updates = sentUpdates(frames);
    expect(updates.length).toBeGreaterThan(0); // the recording works: one step 2 per connection
    const reader = await connectClient(server.url, owner);
    const before = Y.encodeStateAsUpdate(reader.doc);
    reader.destroy();
    const copy = new Y.Doc();
    Y.applyUpdate(copy, before);
    for (const u of updates) {
      expect(Y.decodeUpdate(u).structs).toEqual([]);
      Y.applyUpdate(copy, u);
    }
    expect(Y.encodeStateAsUpdate(copy)).toEqual(before);
    destroyAllClients();
    await editorContext.close();
    await context.close();
  }, 180_000);
});
