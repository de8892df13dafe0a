import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { loginAs } from "../helpers/http";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * Opening a briefing is reading it: Emre opens the demo briefing in the editor and closes it
 * again, and nothing reaches the server's document or its history. Then Dana reads, Emre edits,
 * and Dana is shown exactly what Emre added since.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";

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

  it("highlights exactly what Emre added since Dana last read, and Mark read clears it", async () => {
    const context = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const page = await context.newPage();
    const marked = () =>
      page.evaluate(() => Array.from(document.querySelectorAll(".ProseMirror .since-read")).map((el) => ({ text: el.textContent, author: el.getAttribute("data-author") })));
    try {
      // Dana's first visit records what she has read.
      await page.goto("/briefings/ankara-summit");
      await page.locator(".ProseMirror p").first().waitFor({ timeout: 30_000 });
      await page.goto("about:blank");

      // Emre, through a stock y-websocket client, deletes a word and adds a sentence.
      const emre = await connectClient(env.server.url, await loginAs(env.server.url, "editor"));
      const purpose = firstParagraph(emre.doc);
      const word = purpose.toString().indexOf(" ") + 1;
      purpose.delete(word, purpose.toString().indexOf(" ", word) - word + 1);
      purpose.insert(0, "Emre added this. ");

      // Back on the briefing, the banner names Emre and counts the deletion.
      const banner = page.locator(".since-last-read");
      await eventually(async () => {
        await page.goto("/briefings/ankara-summit");
        await banner.getByText(/by Emre Yıldız since you last read/).waitFor({ timeout: 5_000 });
      }, 30_000, 200);
      await expect(banner.innerText()).resolves.toMatch(/UTC, with 1 deletion(?!s)/);
      const highlight = banner.getByRole("button", { name: "Highlight changes" });
      // Enabled once the editor has opened on the synced document.
      await page.waitForFunction(() => !(document.querySelector(".since-last-read button") as HTMLButtonElement | null)?.disabled, undefined, { timeout: 30_000 });
      expect(await marked()).toEqual([]);
      await highlight.click();
      await eventually(async () => expect(await marked()).toEqual([{ text: "Emre added this. ", author: "Emre Yıldız" }]), 10_000);
      expect(await page.locator(".ProseMirror .since-read").first().getAttribute("title")).toBe("Added by Emre Yıldız since you last read");
      await page.screenshot({ path: `${SHOTS}/since-read-highlight.png` });

      // The marks are a snapshot: Emre's later typing moves them but is not marked.
      purpose.insert(0, "Later. ");
      await page.locator(".ProseMirror p", { hasText: "Later. Emre added this." }).waitFor();
      expect(await marked()).toEqual([{ text: "Emre added this. ", author: "Emre Yıldız" }]);

      // Hide takes them away; Mark read clears the banner and the marks.
      await banner.getByRole("button", { name: "Hide highlights" }).click();
      await eventually(async () => expect(await marked()).toEqual([]), 10_000);
      await highlight.click();
      await eventually(async () => expect((await marked()).length).toBe(1), 10_000);
      await banner.getByRole("button", { name: "Mark read" }).click();
      await banner.waitFor({ state: "detached" });
      await eventually(async () => expect(await marked()).toEqual([]), 10_000);
      await page.screenshot({ path: `${SHOTS}/since-read-marked-read.png` });

      // Read means read: the next visit has no banner.
      await page.reload();
      await page.locator(".ProseMirror p").first().waitFor({ timeout: 30_000 });
      expect(await banner.count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 180_000);
});
