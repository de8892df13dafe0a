import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { selectPhrase } from "../helpers/select-phrase";

/**
 * Suggestions that lose their text, and title suggestions typed in Suggesting mode, in real
 * browsers: when the editor deletes the words Dana suggested replacing, her suggestion leaves the
 * margin for a "Detached suggestions" list on both pages (quoted text, author, why it cannot be
 * accepted), where the editor rejects it.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/suggestions-detached-shots";

async function openBriefing(page: Page) {
  page.setDefaultTimeout(30_000);
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 60_000 });
  await page.locator('.comments-panel[data-connection="live"]').waitFor({ timeout: 60_000 });
}

describe.skipIf(!run)("detached suggestions and title suggestions in Suggesting mode", () => {
  const env = useServerAndBrowser();

  it("a suggestion whose text is deleted is listed as detached on every page and can be rejected there, not accepted", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    await openBriefing(dana);
    await openBriefing(emre);

    await selectPhrase(dana, "foreign ministers");
    await dana.getByRole("button", { name: "Suggest edit" }).click();
    await dana.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("ministers");
    await dana.keyboard.press("Enter");
    const card = (p: Page) => p.locator(".comments-margin .suggestion-card", { hasText: "Replace “foreign ministers” with “ministers”" });
    await card(emre).waitFor();

    // Emre deletes the very words (and the space after them) the suggestion replaces.
    await emre.locator(".ProseMirror p", { hasText: "Prepare the delegation" }).click();
    await selectPhrase(emre, "foreign ministers");
    await emre.keyboard.press("Backspace");
    const own = () =>
      emre.evaluate(() => {
        const copy = document.querySelector(".ProseMirror")!.cloneNode(true) as HTMLElement;
        copy.querySelectorAll("ins").forEach((e) => e.remove());
        return copy.textContent ?? "";
      });
    await expect.poll(own, { timeout: 30_000 }).toContain("talks between  Mukhtar Tleuberdi");

    for (const p of [dana, emre]) {
      const section = p.getByRole("region", { name: "Detached suggestions" });
      await section.getByText("Detached suggestions (1)").waitFor();
      const item = section.getByRole("article", { name: "Detached suggestion by Dana Seitkali" });
      await item.locator("blockquote", { hasText: "foreign ministers" }).waitFor();
      await item.getByText("The text it would change was deleted, so it cannot be applied.", { exact: false }).waitFor();
      await card(p).waitFor({ state: "detached" });
      await expect(item.getByRole("button", { name: "Accept", exact: true }).count()).resolves.toBe(0);
    }
    // Only editors and owners decide.
    await expect(dana.getByRole("region", { name: "Detached suggestions" }).getByRole("button", { name: "Reject" }).count()).resolves.toBe(0);
    await emre.getByRole("region", { name: "Detached suggestions" }).scrollIntoViewIfNeeded();
    await emre.screenshot({ path: `${SHOTS}/detached-editor.png` });

    await emre.getByRole("region", { name: "Detached suggestions" }).getByRole("button", { name: "Reject", exact: true }).click();
    for (const p of [dana, emre]) await p.getByRole("region", { name: "Detached suggestions" }).waitFor({ state: "detached" });
    await danaContext.close();
    await emreContext.close();
  }, 150_000);

  it("in Suggesting mode typing a topic title suggests it instead of changing it", async () => {
    const context = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const emre = await context.newPage();
    await openBriefing(emre);
    await emre.getByRole("button", { name: "Editing" }).click();
    await emre.getByRole("button", { name: "Suggesting" }).waitFor();
    const input = emre.locator("#title-topic-tourism");
    await input.scrollIntoViewIfNeeded();
    await input.click();
    await emre.keyboard.press("End");
    await emre.keyboard.type(" and travel");
    await emre.keyboard.press("Enter");
    const card = emre.locator(".suggestion-card", { hasText: "Rename topic “Tourism” to “Tourism and travel”" });
    await card.waitFor();
    // The title itself is unchanged until the suggestion is accepted.
    await expect(input.inputValue()).resolves.toBe("Tourism");
    await expect(emre.locator(".agenda-outline, [aria-label='Agenda']").first().innerText()).resolves.not.toContain("Tourism and travel");
    await emre.screenshot({ path: `${SHOTS}/title-suggesting-mode.png` });
    await card.getByRole("button", { name: "Accept", exact: true }).click();
    await emre.waitForFunction(() => (document.querySelector("#title-topic-tourism") as HTMLInputElement | null)?.value === "Tourism and travel", undefined, { timeout: 30_000 });
    await context.close();
  }, 120_000);
});
