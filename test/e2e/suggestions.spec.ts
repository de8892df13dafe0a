import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { caretAtEndOf } from "../helpers/editor-page";
import { selectPhrase } from "../helpers/select-phrase";

/**
 * Suggested edits in two real browsers: Dana (commenter, read-only socket) suggests two changes by
 * keyboard; Emre (editor) sees them live and inline, accepts one and rejects the other; Dana's page
 * shows the accepted wording live.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";

async function openBriefing(page: Page) {
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
  await page.locator(".comments-panel").getByRole("heading", { name: /Comments/ }).waitFor();
  await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector(".comments-panel")?.getAttribute("data-connection") === "live");
}

/** Ctrl+Alt+S on the selection, type the replacement into the box that took the focus, Enter. */
async function suggestByKeyboard(page: Page, phrase: string, replacement: string) {
  await selectPhrase(page, phrase);
  await page.getByRole("button", { name: "Suggest edit" }).waitFor();
  await page.keyboard.press("Control+Alt+KeyS");
  await page.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
  await page.keyboard.press("Control+A");
  await page.keyboard.type(replacement);
  await page.keyboard.press("Enter");
}

describe.skipIf(!run)("suggested edits in the browser", () => {
  const env = useServerAndBrowser();

  it("a commenter suggests by keyboard; the editor sees it live, accepts one and rejects another; the commenter sees the accepted text live", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    dana.setDefaultTimeout(15_000);
    emre.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    for (const p of [dana, emre]) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await Promise.all([openBriefing(dana), openBriefing(emre)]);

    await suggestByKeyboard(dana, "meeting of presidents", "summit of heads of state");
    const first = dana.locator(".suggestion-card", { hasText: "Replace “meeting of presidents” with “summit of heads of state”" });
    await first.waitFor();
    await suggestByKeyboard(dana, "foreign ministers", "ministers");
    await dana.locator(".suggestion-card", { hasText: "Replace “foreign ministers” with “ministers”" }).waitFor();
    // Inline for Dana too: the old words struck through, the new ones in her colour.
    await expect(dana.locator(".suggestion-delete").first().textContent()).resolves.toBe("meeting of presidents");
    await dana.screenshot({ path: `${SHOTS}/suggestions-commenter.png` });

    // Emre sees both without reloading, with who suggested them.
    const accepted = emre.locator(".suggestion-card", { hasText: "summit of heads of state" });
    const rejected = emre.locator(".suggestion-card", { hasText: "Replace “foreign ministers” with “ministers”" });
    await accepted.waitFor();
    await rejected.waitFor();
    await expect(accepted.textContent()).resolves.toContain("Dana Seitkali");
    await expect(emre.locator(".suggestion-insert").allTextContents()).resolves.toEqual(expect.arrayContaining(["summit of heads of state", "ministers"]));
    await emre.screenshot({ path: `${SHOTS}/suggestions-editor.png` });

    // Dana has no Accept button, and the server refuses her anyway.
    await expect(first.getByRole("button", { name: "Accept", exact: true }).count()).resolves.toBe(0);
    const id = await first.getAttribute("data-suggestion-id");
    const refused = await danaContext.request.post(`/briefings/ankara-summit/suggestions/${id}`, { form: { intent: "accept" }, headers: { Origin: env.server.url } });
    expect(refused.status()).toBe(403);

    await accepted.getByRole("button", { name: "Accept", exact: true }).click();
    await dana.waitForFunction(() => document.querySelector(".ProseMirror")?.textContent?.includes("Prepare the delegation for the summit of heads of state in Ankara"));
    await first.waitFor({ state: "detached" });
    await rejected.getByRole("button", { name: "Reject", exact: true }).click();
    await dana.locator(".suggestion-card").waitFor({ state: "detached" });
    await expect(dana.locator(".ProseMirror").textContent()).resolves.toContain("foreign ministers Mukhtar");
    await expect(emre.locator(".ProseMirror").textContent()).resolves.toContain("summit of heads of state");
    await dana.screenshot({ path: `${SHOTS}/suggestions-accepted.png` });

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 120_000);

  it("a box opened while the previous suggestion is still being sent stays open and keeps the focus", async () => {
    const context = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const dana = await context.newPage();
    dana.setDefaultTimeout(15_000);
    await openBriefing(dana);
    // The wording's POST is held in the browser until the title box is open, as a slow answer would be.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let posted = false;
    await dana.route("**/suggestions", async (route) => {
      if (route.request().method() !== "POST" || posted) return route.continue();
      posted = true;
      await held;
      await route.continue();
    });
    await suggestByKeyboard(dana, "regional security", "security in the region");
    await dana.waitForFunction(() => document.querySelector(".suggestion-card.is-draft button.primary")?.hasAttribute("disabled"));
    await dana.getByRole("button", { name: "Suggest a title for topic 4" }).click();
    const box = dana.getByRole("article", { name: "New title suggestion" });
    await box.getByText("Topic title: “Cultural ties”").waitFor();
    await dana.waitForFunction(() => document.activeElement?.closest('[aria-label="New title suggestion"]') !== null);
    release();
    await dana.locator(".suggestion-card", { hasText: "Replace “regional security” with “security in the region”" }).waitFor();
    // The answer for the wording closed nothing and took no focus: the title box is still open, focused.
    await expect(box.count()).resolves.toBe(1);
    await expect(dana.evaluate(() => document.activeElement?.closest('[aria-label="New title suggestion"]') !== null)).resolves.toBe(true);
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("Cultural and people-to-people ties");
    await dana.keyboard.press("Enter");
    await dana.locator(".suggestion-card", { hasText: "Rename topic “Cultural ties” to “Cultural and people-to-people ties”" }).waitFor();
    await context.close();
  }, 90_000);

  it("in Suggesting mode an editor's typing becomes an insertion suggestion, not an edit", async () => {
    const context = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const emre = await context.newPage();
    emre.setDefaultTimeout(15_000);
    await openBriefing(emre);
    await emre.getByRole("button", { name: "Editing" }).click();
    await emre.getByRole("button", { name: "Suggesting" }).waitFor();
    await caretAtEndOf(emre, "Background", 10_000, "h2");
    await emre.keyboard.type(" and context");
    const card = emre.locator(".suggestion-card", { hasText: "Insert “ and context”" });
    await card.waitFor();
    // The text itself is unchanged: the words are only the suggestion's mark.
    const own = () =>
      emre.evaluate(() => {
        const copy = document.querySelector(".ProseMirror")!.cloneNode(true) as HTMLElement;
        copy.querySelectorAll("ins").forEach((e) => e.remove());
        return copy.textContent ?? "";
      });
    await expect(own()).resolves.not.toContain("and context");
    await emre.screenshot({ path: `${SHOTS}/suggestions-suggesting-mode.png` });
    await card.getByRole("button", { name: "Accept", exact: true }).click();
    await emre.waitForFunction(() => document.querySelector(".ProseMirror h2:nth-of-type(2)")?.textContent === "Background and context");
    await context.close();
  }, 90_000);
});
