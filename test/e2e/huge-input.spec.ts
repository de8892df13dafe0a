import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { browserAvailable, launchBrowser, signedInContext } from "../helpers/browser";
import { caretAtEndOf } from "../helpers/editor-page";
import { demoUser, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, metricValue, readBody } from "../helpers/yclient";

/**
 * Huge input, end to end, against a server with a small message cap (64 KiB, so a paste may be at
 * most 32 KiB) to keep the data small: a larger paste is refused before it enters the document;
 * changes that add up to more than one message (offline work, a restored local copy) arrive whole;
 * a local copy the server refuses can be downloaded and discarded.
 */
const run = browserAvailable();
const MAX_MESSAGE = 64 * 1024;
const PARAGRAPH = "Prepare the delegation";

/** About `bytes` of plain text in lines, starting and ending with a marker that names it. */
function textOf(tag: string, bytes: number): string {
  const lines: string[] = [`${tag}-START`];
  let size = lines[0].length;
  for (let i = 0; size < bytes; i++) {
    const line = `${tag} line ${i}: the delegation reviews the energy corridor and the transit tariffs once more.`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push(`${tag}-END`);
  return lines.join("\n");
}

/** What a person's paste delivers: a paste event with the text on the clipboard. */
async function paste(page: Page, text: string) {
  await caretAtEndOf(page, PARAGRAPH);
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document.querySelector(".ProseMirror")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function openBriefing(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror p", { hasText: PARAGRAPH }).waitFor();
  return page;
}

const saveState = (page: Page) => page.getByTestId("save-status").getAttribute("data-state");

function useServer(env: () => Record<string, string>) {
  const state = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    [state.server, state.browser] = await Promise.all([startTestServer({ env: env() }), launchBrowser()]);
  }, 90_000);
  afterAll(async () => {
    destroyAllClients();
    await state.browser?.close();
    await state.server?.stop();
  });
  return state;
}

describe.skipIf(!run)("huge input in the editor", () => {
  const env = useServer(() => ({ COLLAB_MAX_MESSAGE_BYTES: String(MAX_MESSAGE) }));

  it("refuses a paste over the limit with a message that says the limit, and takes one under it", async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    const page = await openBriefing(context);
    const owner = await loginAs(env.server.url, "owner");

    const tooBig = textOf("HUGE", 40_000);
    await paste(page, tooBig);
    const notice = page.getByTestId("paste-refused");
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/This paste is 4\d kB; a single change may be at most 33 kB\. Paste it in parts\./);
    expect(await page.locator(".ProseMirror").innerText()).not.toContain("HUGE-START");

    const fine = textOf("FINE", 20_000);
    await paste(page, fine);
    await eventually(async () => expect(await readBody(env.server.url, owner)).toContain("FINE-END"), 20_000, 250);
    expect(await readBody(env.server.url, owner)).not.toContain("HUGE-START");
    await context.close();
  }, 120_000);

  it("sends offline work larger than one message in pieces, on reconnect and from the restored local copy", async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    const owner = await loginAs(env.server.url, "owner");
    let page = await openBriefing(context);
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);

    // Catch-up after a reconnect: four pastes under the limit, together over the message cap.
    await context.setOffline(true);
    await eventually(async () => expect(await saveState(page)).toBe("offline"), 15_000);
    for (const tag of ["OFFA", "OFFB", "OFFC", "OFFD"]) await paste(page, textOf(tag, 25_000));
    await context.setOffline(false);
    await eventually(async () => {
      const text = await readBody(env.server.url, owner);
      for (const tag of ["OFFA", "OFFB", "OFFC", "OFFD"]) expect(text).toContain(`${tag}-END`);
    }, 30_000, 250);
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);
    expect(await page.locator(".editor-problem").count()).toBe(0);

    // The restored local copy: typed offline, tab closed, briefing opened again online.
    await context.setOffline(true);
    await eventually(async () => expect(await saveState(page)).toBe("offline"), 15_000);
    for (const tag of ["IDBA", "IDBB", "IDBC"]) await paste(page, textOf(tag, 25_000));
    // y-indexeddb stores each update as it happens; wait until the copy has all three.
    await page.waitForFunction(() => document.querySelector(".ProseMirror")!.textContent!.includes("IDBC-END"));
    await page.waitForTimeout(500);
    await page.close();
    await context.setOffline(false);
    page = await openBriefing(context);
    await eventually(async () => {
      const text = await readBody(env.server.url, owner);
      for (const tag of ["IDBA", "IDBB", "IDBC"]) expect(text).toContain(`${tag}-END`);
    }, 30_000, 250);
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);
    expect(env.server.logs.filter((l) => JSON.stringify(l).includes("message too large"))).toEqual([]);
    await context.close();
  }, 180_000);
});

describe.skipIf(!run)("a local copy the server refuses", () => {
  // The document cap leaves room for the seeded briefing and little more: offline work of 100 kB is
  // refused (4414) however it is split, the case of a copy the server will never accept.
  let cap = 0;
  beforeAll(async () => {
    // Measured from a server with the defaults on the same seed.
    const probe = await startTestServer();
    const client = await connectClient(probe.url, await loginAs(probe.url, "owner"));
    cap = Y.encodeStateAsUpdate(client.doc).byteLength + 40_000;
    client.provider.destroy();
    await probe.stop();
  }, 90_000);
  // Registered after the measurement, so it starts once `cap` is known.
  const env = useServer(() => ({ COLLAB_MAX_MESSAGE_BYTES: String(MAX_MESSAGE), COLLAB_MAX_DOCUMENT_BYTES: String(cap) }));

  it("offers the unsent changes as a file, then discards them and starts from the server's briefing", async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    const owner = await loginAs(env.server.url, "owner");
    const page = await openBriefing(context);
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);
    await context.setOffline(true);
    await eventually(async () => expect(await saveState(page)).toBe("offline"), 15_000);
    for (const tag of ["REFA", "REFB", "REFC", "REFD"]) await paste(page, textOf(tag, 25_000));
    await context.setOffline(false);

    const problem = page.locator(".editor-problem");
    await problem.getByRole("button", { name: "Download your unsent changes" }).waitFor({ timeout: 30_000 });
    expect(await problem.innerText()).toContain("Your recent changes were not saved");
    const [download] = await Promise.all([page.waitForEvent("download"), problem.getByRole("button", { name: "Download your unsent changes" }).click()]);
    expect(download.suggestedFilename()).toBe("ankara-summit-unsent-changes.txt");
    const file = fs.readFileSync((await download.path())!, "utf8");
    for (const tag of ["REFA", "REFB", "REFC", "REFD"]) expect(file).toContain(`${tag}-END`);
    expect(file).toContain(PARAGRAPH);

    // Listen before clicking: on a quick machine the reload's load event can come before a listener
    // added after the click.
    await Promise.all([page.waitForEvent("load", { timeout: 60_000 }), problem.getByRole("button", { name: "Discard local changes and reload" }).click()]);
    await page.locator(".ProseMirror p", { hasText: PARAGRAPH }).waitFor();
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);
    expect(await page.locator(".ProseMirror").innerText()).not.toContain("REFD-END");
    expect(await page.locator(".editor-problem").count()).toBe(0);
    expect(await readBody(env.server.url, owner)).not.toContain("REFD-END");
    await context.close();
  }, 180_000);
});

describe.skipIf(!run)("a catch-up larger than the byte budget's burst", () => {
  // A burst of one message and 32 KiB/s: 100 kB of offline work sent at once would be closed with
  // 4429, reconnect, and be sent at once again.
  const env = useServer(() => ({
    COLLAB_MAX_MESSAGE_BYTES: String(MAX_MESSAGE),
    COLLAB_MAX_BYTES_BURST: String(MAX_MESSAGE),
    COLLAB_MAX_BYTES_PER_SECOND: String(32 * 1024),
    METRICS_TOKEN: "huge-input-metrics",
  }));

  it("is paced under the budget and arrives without a single 4429", async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    const owner = await loginAs(env.server.url, "owner");
    const page = await openBriefing(context);
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);
    await context.setOffline(true);
    await eventually(async () => expect(await saveState(page)).toBe("offline"), 15_000);
    for (const tag of ["PACA", "PACB", "PACC", "PACD"]) await paste(page, textOf(tag, 25_000));
    await context.setOffline(false);
    await eventually(async () => {
      const text = await readBody(env.server.url, owner);
      for (const tag of ["PACA", "PACB", "PACC", "PACD"]) expect(text).toContain(`${tag}-END`);
    }, 40_000, 500);
    await eventually(async () => expect(await saveState(page)).toBe("saved"), 20_000);
    expect(await metricValue(env.server.url, "huge-input-metrics", "summit_collab_closes_total", '{code="4429"}')).toBe(0);
    await context.close();
  }, 180_000);
});

describe.skipIf(!run)("a multi-megabyte paste with the default limits", () => {
  const env = useServer(() => ({}));

  it("is refused at once with the sizes people read, and the editor stays usable", async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    const page = await openBriefing(context);
    const started = Date.now();
    await paste(page, textOf("MEGA", 3_100_000));
    const notice = page.getByTestId("paste-refused");
    await notice.waitFor();
    expect(await notice.innerText()).toContain("This paste is 3.1 MB; a single change may be at most 1 MB. Paste it in parts.");
    // Measured on the clipboard text, before any parsing: no freeze.
    expect(Date.now() - started).toBeLessThan(15_000);
    await page.keyboard.type(" still typing");
    await eventually(async () => expect(await readBody(env.server.url, await loginAs(env.server.url, "owner"))).toContain("still typing"), 20_000, 250);
    expect(await page.locator(".ProseMirror").innerText()).not.toContain("MEGA-START");
    await context.close();
  }, 120_000);
});
