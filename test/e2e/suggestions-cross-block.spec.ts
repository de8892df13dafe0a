import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";

/**
 * A suggestion across two paragraphs in two real browsers (docs/decisions/0506): Emre (editor), in
 * Suggesting mode, selects from the end of one paragraph into the start of the next and types a
 * replacement; Aigerim (owner) sees it live and accepts it; both pages then show the two paragraphs
 * merged around the accepted text, with no suggestion marks left.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/suggestions-cross-block-shots";

async function openBriefing(page: Page) {
  page.setDefaultTimeout(30_000);
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 60_000 });
  await page.locator('.comments-panel[data-connection="live"]').waitFor({ timeout: 60_000 });
}

/** The texts of the first two paragraphs after the "Background" heading, without what only decorates them (suggested insertions, others' carets). */
function backgroundParagraphs(page: Page): Promise<[string, string]> {
  return page.evaluate(() => {
    const heading = Array.from(document.querySelectorAll(".ProseMirror h2")).find((h) => h.textContent === "Background")!;
    const own = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll("ins, .collab-caret").forEach((e) => e.remove());
      return copy.textContent!;
    };
    const first = heading.nextElementSibling!;
    return [own(first), own(first.nextElementSibling!)] as [string, string];
  });
}

/**
 * Selects from `fromEnd` characters before the end of the first Background paragraph to `toStart`
 * characters into the second, as a drag across the boundary would; waits until the editor has it.
 */
async function selectAcross(page: Page, fromEnd: number, toStart: number): Promise<void> {
  await page.evaluate(
    ([back, forward]) => {
      const heading = Array.from(document.querySelectorAll(".ProseMirror h2")).find((h) => h.textContent === "Background")!;
      const first = heading.nextElementSibling!;
      const second = first.nextElementSibling!;
      const textNodes = (el: Element) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const out: Text[] = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n as Text);
        return out;
      };
      const last = textNodes(first).at(-1)!;
      const start = textNodes(second)[0];
      first.scrollIntoView({ block: "center" });
      const range = document.createRange();
      range.setStart(last, last.length - back);
      range.setEnd(start, forward);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    },
    [fromEnd, toStart] as const,
  );
  await page.waitForFunction(() => {
    const sel = window.getSelection();
    const block = (n: Node | null | undefined) => (n instanceof Element ? n : n?.parentElement)?.closest("p");
    return !!sel && !sel.isCollapsed && block(sel.anchorNode) !== block(sel.focusNode);
  });
}

describe.skipIf(!run)("a suggestion across two paragraphs", () => {
  const env = useServerAndBrowser();

  it("typed over a selection across two paragraphs in Suggesting mode, accepted on another page: both show the merged text and no marks", async () => {
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const aigerimContext = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const emre = await emreContext.newPage();
    const aigerim = await aigerimContext.newPage();
    const pageErrors: string[] = [];
    for (const p of [emre, aigerim]) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await openBriefing(emre);
    await openBriefing(aigerim);
    const [p1, p2] = await backgroundParagraphs(emre);
    const head = p1.slice(0, -12);
    const tail = p2.slice(10);

    await emre.getByRole("button", { name: "Editing" }).click();
    await emre.getByRole("button", { name: "Suggesting" }).waitFor();
    await emre.locator(".ProseMirror h2", { hasText: "Background" }).click();
    await selectAcross(emre, 12, 10);
    await emre.keyboard.type("[joined]");

    const summary = `Replace “${p1.slice(-12)}\n${p2.slice(0, 10)}” with “[joined]”`;
    const card = (p: Page) => p.locator(".comments-margin .suggestion-card", { hasText: "with “[joined]”" });
    await card(emre).waitFor();
    await card(aigerim).waitFor();
    // One suggestion for the whole typed word, not one per key.
    await expect(aigerim.locator(".comments-margin .suggestion-card").count()).resolves.toBe(1);
    // Shown in the text on the other page: the two ends struck through, the replacement inserted.
    await expect(aigerim.locator(".suggestion-insert", { hasText: "[joined]" }).count()).resolves.toBeGreaterThan(0);
    const struck = (await aigerim.locator(".suggestion-delete").allTextContents()).join("");
    expect(struck).toBe(p1.slice(-12) + p2.slice(0, 10));
    expect((await card(aigerim).innerText()).replace(/\s+/g, " ")).toContain(summary.replace(/\s+/g, " "));
    // Emre's own text is unchanged until the suggestion is accepted.
    await expect(backgroundParagraphs(emre)).resolves.toEqual([p1, p2]);
    await aigerim.screenshot({ path: `${SHOTS}/cross-block-open.png` });

    await card(aigerim).getByRole("button", { name: "Accept", exact: true }).click();
    for (const p of [emre, aigerim]) {
      // One paragraph now, with the accepted text where the range was, in the page's own text.
      await expect.poll(async () => (await backgroundParagraphs(p))[0], { timeout: 30_000 }).toBe(`${head}[joined]${tail}`);
      await card(p).waitFor({ state: "detached" });
      await expect(p.locator(".ProseMirror .suggestion-delete, .ProseMirror .suggestion-insert").count()).resolves.toBe(0);
    }
    await emre.screenshot({ path: `${SHOTS}/cross-block-accepted.png` });

    expect(pageErrors).toEqual([]);
    await emreContext.close();
    await aigerimContext.close();
  }, 150_000);
});
