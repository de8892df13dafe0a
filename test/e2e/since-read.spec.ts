import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { loginAs } from "../helpers/http";
import { body, connectClient, destroyAllClients } from "../helpers/yclient";

/**
 * Opening a briefing is reading it: Emre opens the demo briefing in the editor and closes it
 * again, and nothing reaches the server's document or its history.
 */

const run = browserAvailable();

describe.skipIf(!run)("opening a briefing writes nothing", () => {
  const env = useServerAndBrowser({ env: { HISTORY_INTERVAL_MS: "50" } });
  afterEach(() => destroyAllClients());

  it("an editor who only looks sends no change and is no author", async () => {
    const watcher = await connectClient(env.server.url, await loginAs(env.server.url, "owner"));
    const updates: Uint8Array[] = [];
    watcher.doc.on("update", (u: Uint8Array) => updates.push(u));
    const before = Y.encodeStateVector(watcher.doc);
    const context = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const page = await context.newPage();
    try {
      await page.goto("/briefings/ankara-summit");
      await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 30_000 });
      await page.locator(".ProseMirror p").first().waitFor();
      await page.goto("about:blank");
    } finally {
      await context.close();
    }
    // A fresh client sees the same document the watcher had before the visit.
    const after = await connectClient(env.server.url, await loginAs(env.server.url, "owner"));
    expect(Buffer.from(Y.encodeStateVector(after.doc))).toEqual(Buffer.from(before));
    // Nothing arrived while the page was open (the trailing paragraph used to, 51 bytes).
    expect(updates).toHaveLength(0);
    expect(body(after.doc).toString()).toBe(body(watcher.doc).toString());
    const history = await (await fetch(`${env.server.url}/briefings/ankara-summit/history`, { headers: { Cookie: await loginAs(env.server.url, "owner") } })).text();
    expect(history).not.toContain("Emre Yıldız");
  }, 120_000);
});
