import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";

/**
 * Comments in two real browsers: Dana (commenter) comments on a phrase and mentions Emre; Emre
 * (editor) sees the thread arrive live, edits the text around it, and resolves it; Dana cannot.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";
const PHRASE = "meeting of presidents";

/** Drags the mouse across `phrase` in the editor, as a person selecting it would. */
async function selectPhrase(page: Page, phrase: string) {
  const box = await page.evaluate((needle) => {
    const root = document.querySelector(".ProseMirror")!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(needle);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + needle.length);
      range.startContainer.parentElement!.scrollIntoView({ block: "center" });
      const rects = range.getClientRects();
      const first = rects[0];
      const last = rects[rects.length - 1];
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
    }
    throw new Error(`"${needle}" not on the page`);
  }, phrase);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, box.y2, { steps: 4 });
  await page.mouse.move(box.x2, box.y2, { steps: 4 });
  await page.mouse.up();
}

async function openBriefing(page: Page) {
  await page.goto("/briefings/ankara-summit");
  try {
    // The first load also fills the browser's local copy (IndexedDB): allow for a busy machine.
    await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
  } catch (err) {
    await page.screenshot({ path: `${SHOTS}/comments-load-failure.png` });
    throw err;
  }
  await page.locator(".comments-panel").getByRole("heading", { name: /Comments/ }).waitFor();
}

describe.skipIf(!run)("comments in the browser", () => {
  const env = useServerAndBrowser();

  it("a commenter's thread appears live for the editor, follows edits, and only the editor resolves it", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    dana.setDefaultTimeout(10_000);
    emre.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    for (const p of [dana, emre]) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await Promise.all([openBriefing(dana), openBriefing(emre)]);

    // Dana selects the phrase and comments, mentioning Emre through the autocomplete.
    await selectPhrase(dana, PHRASE);
    await dana.getByRole("button", { name: "Comment", exact: true }).click();
    const box = dana.getByRole("textbox", { name: "Add a comment…" });
    await box.waitFor();
    await box.pressSequentially("Should we name both presidents here? @Em");
    await dana.getByRole("listbox", { name: "Mention a team member" }).getByRole("option", { name: /Emre Yıldız/ }).click();
    await box.pressSequentially("can you check? <b>not bold</b>");
    await dana.locator(".comment-composer").getByRole("button", { name: "Comment" }).click();

    const danaCard = dana.locator(".thread-card", { hasText: "Should we name both presidents here?" });
    await danaCard.waitFor();
    await expect(danaCard.locator(".mention-chip").textContent()).resolves.toBe("@Emre Yıldız");
    // Plain text: the markup is shown, not interpreted.
    await expect(danaCard.locator(".comment-body").textContent()).resolves.toContain("<b>not bold</b>");
    await expect(dana.locator(".comment-highlight").first().textContent()).resolves.toBe(PHRASE);

    // Emre sees it without reloading, highlighted on the same words.
    const emreCard = emre.locator(".thread-card", { hasText: "Should we name both presidents here?" });
    await emreCard.waitFor({ timeout: 10_000 });
    await expect(emre.locator(".comment-highlight").first().textContent()).resolves.toBe(PHRASE);

    // Emre types right before the phrase and inside it: the highlight follows the text in both browsers.
    await emre.locator(".comment-highlight").first().click({ position: { x: 2, y: 5 } });
    await emre.keyboard.press("Home");
    await emre.keyboard.type("Early ");
    await emre.waitForFunction(() => document.querySelector(".comment-highlight")?.textContent === "meeting of presidents");
    await dana.waitForFunction(() => document.querySelector(".ProseMirror")?.textContent?.includes("Early "));
    await expect(dana.locator(".comment-highlight").first().textContent()).resolves.toBe(PHRASE);

    // Clicking the highlighted text focuses the thread.
    await dana.locator(".comment-highlight").first().click();
    await expect(danaCard.getAttribute("class")).resolves.toContain("is-active");
    await dana.screenshot({ path: `${SHOTS}/comments-commenter.png` });

    // Emre replies; Dana sees the reply live.
    await emreCard.click();
    await emreCard.getByRole("textbox", { name: "Reply…" }).fill("Yes, both names go in the final version.");
    await emreCard.getByRole("button", { name: "Reply" }).click();
    await danaCard.getByText("Yes, both names go in the final version.").waitFor();
    await emre.screenshot({ path: `${SHOTS}/comments-editor.png` });

    // Dana has no Resolve button, and the server refuses her anyway.
    await expect(danaCard.getByRole("button", { name: "Resolve" }).count()).resolves.toBe(0);
    const threadId = await danaCard.getAttribute("data-thread-id");
    const refused = await danaContext.request.post(`/briefings/ankara-summit/comments/${threadId}`, {
      form: { intent: "resolve" },
      headers: { Origin: env.server.url },
    });
    expect(refused.status()).toBe(403);

    // Emre resolves: the thread leaves both sidebars, and "Show resolved" brings it back.
    await emreCard.getByRole("button", { name: "Resolve" }).click();
    await danaCard.waitFor({ state: "detached" });
    await emreCard.waitFor({ state: "detached" });
    await dana.getByLabel(/Show resolved/).check();
    await danaCard.getByText("Resolved by Emre Yıldız").waitFor();
    await dana.screenshot({ path: `${SHOTS}/comments-resolved.png` });

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 120_000);
});
