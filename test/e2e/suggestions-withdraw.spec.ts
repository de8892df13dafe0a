import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { selectPhrase } from "../helpers/select-phrase";

/**
 * Withdrawing a detached suggestion in two real browsers (docs/decisions/0507): Dana (commenter)
 * suggests a change, Emre (editor) deletes its words, and Dana withdraws it with the Withdraw button
 * of the Detached suggestions list; Emre's page loses it live, without reloading, and the server
 * has it recorded as rejected by Dana herself.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/suggestions-withdraw-shots";

async function openBriefing(page: Page) {
  page.setDefaultTimeout(30_000);
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 60_000 });
  await page.locator('.comments-panel[data-connection="live"]').waitFor({ timeout: 60_000 });
}

const detached = (p: Page) => p.getByRole("region", { name: "Detached suggestions" });

describe.skipIf(!run)("withdrawing a detached suggestion", () => {
  const env = useServerAndBrowser();

  it("the author withdraws it with the Withdraw button and the editor's page sees it disappear live", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    const pageErrors: string[] = [];
    for (const p of [dana, emre]) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await openBriefing(dana);
    await openBriefing(emre);

    await selectPhrase(dana, "regional security");
    await dana.getByRole("button", { name: "Suggest edit" }).click();
    await dana.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("security in the region");
    await dana.keyboard.press("Enter");
    const card = (p: Page) => p.locator(".comments-margin .suggestion-card", { hasText: "Replace “regional security” with “security in the region”" });
    await card(emre).waitFor();
    const id = await card(dana).getAttribute("data-suggestion-id");
    expect(id).toBeTruthy();

    // Emre deletes the words the suggestion replaces: it becomes detached on both pages.
    await emre.locator(".ProseMirror p", { hasText: "regional security" }).first().click();
    await selectPhrase(emre, "regional security");
    await emre.keyboard.press("Backspace");
    for (const p of [dana, emre]) {
      await detached(p).getByRole("article", { name: "Detached suggestion by Dana Seitkali" }).locator("blockquote", { hasText: "regional security" }).waitFor();
      await card(p).waitFor({ state: "detached" });
    }
    // Only the author is offered Withdraw; the editor rejects instead.
    await expect(detached(emre).getByRole("button", { name: "Withdraw" }).count()).resolves.toBe(0);
    await expect(detached(dana).getByRole("button", { name: "Reject" }).count()).resolves.toBe(0);
    await detached(dana).scrollIntoViewIfNeeded();
    await dana.screenshot({ path: `${SHOTS}/withdraw-author.png` });

    // A mark on Emre's window: still there afterwards means his page was never reloaded.
    await emre.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await detached(dana).getByRole("button", { name: "Withdraw", exact: true }).click();
    // Gone from Emre's page by the live channel (no reload), and from Dana's.
    await detached(emre).waitFor({ state: "detached" });
    await detached(dana).waitFor({ state: "detached" });
    await expect(emre.locator(`[data-suggestion-id="${id}"]`).count()).resolves.toBe(0);
    expect(await emre.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    const res = await emreContext.request.get(`/briefings/ankara-summit/suggestions/${id}`);
    expect(res.status()).toBe(200);
    const { suggestion } = (await res.json()) as { suggestion: SuggestionView };
    expect(suggestion).toMatchObject({ status: "rejected", rejectedByName: "Dana Seitkali" });

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 150_000);
});
