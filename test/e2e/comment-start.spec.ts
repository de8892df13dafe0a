import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser } from "../helpers/http";
import { eventually } from "../helpers/yclient";

/**
 * Starting a comment on text far down the briefing: the page stays where it is and the new
 * comment's box is on screen with the keyboard in it, from the button or with Ctrl+Alt+M.
 */

const run = browserAvailable();
const FAR_DOWN = "mutual benefits of boosting tourism";

/** Selects `phrase` with the mouse after scrolling it to the middle of the window. */
async function selectPhrase(page: Page, phrase: string) {
  const box = await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.querySelector(".ProseMirror")!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(needle);
      if (i < 0) continue;
      n.parentElement!.scrollIntoView({ block: "center" });
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + needle.length);
      const rects = range.getClientRects();
      const first = rects[0];
      const last = rects[rects.length - 1];
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
    }
    throw new Error(`"${needle}" not on the page`);
  }, phrase);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move(box.x2, box.y2, { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction((needle) => window.getSelection()?.toString() === needle, phrase);
}

async function expectBoxFocusedOnScreen(page: Page, scrolledTo: number) {
  const box = page.getByRole("article", { name: "New comment" }).getByRole("textbox");
  await eventually(async () => expect(await box.evaluate((el) => el === document.activeElement)).toBe(true), 5000);
  const y = await page.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(200); // not thrown back to the top
  expect(Math.abs(y - scrolledTo)).toBeLessThan(400);
  const rect = (await box.boundingBox())!;
  expect(rect.y).toBeGreaterThanOrEqual(0);
  expect(rect.y + rect.height).toBeLessThanOrEqual(860);
}

/**
 * Comment and Suggest edit sit side by side in one bar beside the selection, and nothing in the
 * margin (a card at the same height) covers either: the topmost element at each button's centre is
 * the button.
 */
async function expectSelectionBar(page: Page) {
  const bar = page.getByRole("toolbar", { name: "Selection" });
  const names = ["Comment", "Suggest edit"];
  const boxes = [];
  for (const name of names) {
    const button = bar.getByRole("button", { name, exact: true });
    const box = (await button.boundingBox())!;
    const onTop = await page.evaluate(([x, y, label]) => document.elementFromPoint(x, y)?.closest("button")?.textContent === label, [box.x + box.width / 2, box.y + box.height / 2, name] as const);
    expect(onTop, `${name} is not covered`).toBe(true);
    boxes.push(box);
  }
  expect(Math.abs(boxes[0].y - boxes[1].y)).toBeLessThan(2);
  expect(boxes[0].x + boxes[0].width).toBeLessThanOrEqual(boxes[1].x);
}

describe.skipIf(!run)("starting a comment below the fold", () => {
  const env = useServerAndBrowser();

  for (const role of ["editor", "commenter"] as const) {
    it(`${role}: the Comment button keeps the scroll position and focuses the box; so does Ctrl+Alt+M`, async () => {
      const ctx = await signedInContext(env.browser, env.server.url, demoUser(role).email);
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto("/briefings/ankara-summit");
      await page.locator(".comments-panel .comments-header").waitFor({ timeout: 30_000 });
      await page.locator(".ProseMirror").getByText(FAR_DOWN, { exact: false }).waitFor({ timeout: 30_000 });

      await selectPhrase(page, FAR_DOWN);
      const scrolledTo = await page.evaluate(() => window.scrollY);
      expect(scrolledTo).toBeGreaterThan(200);
      const button = page.getByRole("button", { name: "Comment", exact: true });
      await expectSelectionBar(page);
      await button.click();
      await expectBoxFocusedOnScreen(page, scrolledTo);
      await page.keyboard.type("Check the tourism figures.");
      await page.getByRole("article", { name: "New comment" }).getByRole("button", { name: "Cancel" }).click();

      await selectPhrase(page, "boosting tourism");
      expect(await button.getAttribute("aria-keyshortcuts")).toBe("Control+Alt+M");
      const again = await page.evaluate(() => window.scrollY);
      await page.keyboard.press("Control+Alt+M");
      await expectBoxFocusedOnScreen(page, again);
      await ctx.close();
    });
  }
});
