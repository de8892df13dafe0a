import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser, loginAs } from "../helpers/http";
import { body, eventually, readBody } from "../helpers/yclient";

/**
 * Offline work that outlives the tab: typed while disconnected, tab closed before the network came
 * back, merged from IndexedDB when the briefing is opened again.
 */
const run = browserAvailable();

/**
 * The body of the copy the tab keeps on the device: every row of y-indexeddb's "updates" store
 * (database `summit-desk:<userId>:<briefingId>`, app/editor/collab-provider.ts), read in the page
 * and merged here.
 */
async function storedOnDevice(page: Page, userId: string, briefingId: string): Promise<string> {
  const rows = await page.evaluate(
    (name) =>
      new Promise<number[][]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction("updates").objectStore("updates").getAll();
          read.onerror = () => reject(read.error);
          read.onsuccess = () => {
            db.close();
            resolve((read.result as Uint8Array[]).map((u) => Array.from(u)));
          };
        };
      }),
    `summit-desk:${userId}:${briefingId}`,
  );
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row));
  return body(doc).toString();
}

describe.skipIf(!run)("offline edits survive closing the tab", () => {
  const env = useServerAndBrowser();

  it("keeps text typed offline in a closed tab and merges it on return", async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto("/briefings/ankara-summit");
    const paragraph = page.locator(".ProseMirror p", { hasText: "Prepare the delegation" });
    await paragraph.waitFor();
    await eventually(async () => expect(await page.getByTestId("save-status").getAttribute("data-state")).toBe("saved"), 15_000);

    await context.setOffline(true);
    await eventually(async () => expect(await page.getByTestId("save-status").innerText()).toBe("Offline — changes kept on this device"), 15_000);
    await paragraph.click();
    await page.keyboard.press("End");
    await page.keyboard.type(" Drafted on the plane.");
    // y-indexeddb writes each update as it happens: the tab closes once the device has the text.
    await eventually(async () => expect(await storedOnDevice(page, demoUser("editor").id, "ankara-summit")).toContain("Drafted on the plane."), 15_000);
    await page.close();

    const owner = await loginAs(env.server.url, "owner");
    expect(await readBody(env.server.url, owner)).not.toContain("Drafted on the plane.");

    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto("/briefings/ankara-summit");
    await eventually(async () => expect(await readBody(env.server.url, owner)).toContain("Drafted on the plane."), 20_000, 250);
    await eventually(async () => expect(await again.getByTestId("save-status").getAttribute("data-state")).toBe("saved"), 15_000);
    await context.close();
  });
});
