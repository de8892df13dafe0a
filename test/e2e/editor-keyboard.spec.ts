import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { caretAtEndOf, paragraphTexts } from "../helpers/editor-page";
import { demoUser } from "../helpers/http";
import { eventually } from "../helpers/yclient";

/**
 * What a desk officer does with the keyboard around blocks: type after an inserted fact, leave a
 * quote, name a new agenda topic, close the fact picker, and copy part of a quote.
 */

const run = browserAvailable();
const OWNER = demoUser("owner");

async function slash(page: Page, after: string, query: string, command: string) {
  await caretAtEndOf(page, after);
  await page.keyboard.press("Enter");
  await page.keyboard.type(`/${query}`);
  await page.locator(`.slash-menu [data-command="${command}"][aria-selected="true"]`).waitFor();
  await page.keyboard.press("Enter");
}

const activeIsEditor = (page: Page) => page.evaluate(() => document.activeElement?.classList.contains("ProseMirror") ?? false);

describe.skipIf(!run)("keyboard around blocks", () => {
  const env = useServerAndBrowser();
  let page: Page;

  beforeAll(async () => {
    const ctx = await signedInContext(env.browser, env.server.url, OWNER.email);
    page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto("/briefings/ankara-summit");
    await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
  });

  it("typing right after inserting a country fact goes into a paragraph below it, and the fact stays", async () => {
    const facts = await page.locator(".block-fact").count();
    await slash(page, "Prepare the delegation", "country", "countryFact");
    await eventually(async () => expect(await page.locator(".block-fact").count()).toBe(facts + 1), 10_000);
    await page.keyboard.type("Typed after the fact");
    expect(await page.locator(".block-fact").count()).toBe(facts + 1);
    const next = await page.evaluate(() => {
      const card = Array.from(document.querySelectorAll(".ProseMirror .block-fact")).find((el) => el.querySelector(".attr-grid"))!;
      return card.closest(".react-renderer, [data-node-view-wrapper]")?.nextElementSibling?.textContent ?? card.parentElement?.nextElementSibling?.textContent ?? "";
    });
    expect(next).toContain("Typed after the fact");
  });

  it("a fact from the library: Escape gives the keyboard back to the text; after inserting, typing goes below the fact", async () => {
    await slash(page, "Typed after the fact", "library", "libraryFact");
    const picker = page.getByRole("dialog", { name: "Insert a fact from the library" });
    await picker.locator(".fact-option").first().waitFor();
    await page.keyboard.press("Escape");
    await picker.waitFor({ state: "detached" });
    await eventually(async () => expect(await activeIsEditor(page)).toBe(true), 5000);

    const facts = await page.locator(".block-fact").count();
    await page.keyboard.type("/library");
    await page.locator('.slash-menu [data-command="libraryFact"][aria-selected="true"]').waitFor();
    await page.keyboard.press("Enter");
    await picker.locator(".fact-option").first().click();
    await eventually(async () => expect(await page.locator(".block-fact").count()).toBe(facts + 1), 10_000);
    await eventually(async () => expect(await activeIsEditor(page)).toBe(true), 5000);
    await page.keyboard.type("After the library fact");
    expect(await page.locator(".block-fact").count()).toBe(facts + 1);
    expect((await paragraphTexts(page)).some((t) => t === "After the library fact")).toBe(true);
  });

  it("Enter on the empty last line of a quote, and ArrowUp at its start, leave the quote", async () => {
    await slash(page, "After the library fact", "quo", "quote");
    await page.locator(".block-quote").first().waitFor();
    await page.keyboard.type("We stand together.");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Below the quote");
    const quote = page.locator(".block-quote", { hasText: "We stand together." });
    expect(await quote.locator("blockquote, .quote-words, [data-node-view-content]").first().innerText()).toBe("We stand together.");
    expect((await paragraphTexts(page)).some((t) => t === "Below the quote")).toBe(true);

    // ArrowDown at the end of the words leaves too.
    await caretAtEndOf(page, "We stand together.", 10_000, "blockquote");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.type("!");
    expect((await paragraphTexts(page)).some((t) => t === "!Below the quote")).toBe(true);

    // ArrowUp at the start of the words goes to the paragraph above.
    await caretAtEndOf(page, "We stand together.", 10_000, "blockquote");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowUp");
    // ArrowUp keeps the caret's horizontal place, as everywhere in text; End then makes the spot
    // certain. Had ArrowUp stayed in the quote, End would put " (up)" at the end of its words.
    await page.keyboard.press("End");
    await page.keyboard.type(" (up)");
    expect((await paragraphTexts(page)).some((t) => t === "After the library fact (up)")).toBe(true);
    expect(await quote.innerText()).not.toContain("(up)");
  });

  it("copying part of a quote's words pastes those words as text, not an empty quote with the attribution", async () => {
    const quotes = await page.locator(".block-quote").count();
    // Select "stand together" inside "We stand together." by keyboard.
    await caretAtEndOf(page, "After the library fact (up)");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Home");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    for (let i = 0; i < "stand together".length; i++) await page.keyboard.press("Shift+ArrowRight");
    expect(await page.evaluate(() => window.getSelection()!.toString())).toBe("stand together");
    // ProseMirror reads the browser's selection on its next selectionchange, and copies from its own
    // state: on a busy machine that can trail the last key, so wait until the editor has it too.
    await page.waitForFunction(() => {
      type Ed = { state: { selection: { from: number; to: number }; doc: { textBetween(a: number, b: number): string } } };
      const ed = (document.querySelector(".ProseMirror") as (HTMLElement & { editor?: Ed }) | null)?.editor;
      return !!ed && ed.state.doc.textBetween(ed.state.selection.from, ed.state.selection.to) === "stand together";
    });
    // Copy and paste through ProseMirror's own clipboard handlers.
    await page.evaluate(() => {
      const root = document.querySelector(".ProseMirror")!;
      const data = new DataTransfer();
      root.dispatchEvent(new ClipboardEvent("copy", { clipboardData: data, bubbles: true, cancelable: true }));
      (window as unknown as { __copied: unknown }).__copied = { html: data.getData("text/html"), text: data.getData("text/plain") };
    });
    const copied = await page.evaluate(() => (window as unknown as { __copied: { html: string; text: string } }).__copied);
    expect(copied.text).toBe("stand together");
    expect(copied.html).not.toContain("quote");
    await caretAtEndOf(page, "!Below the quote");
    await page.evaluate((c) => {
      const data = new DataTransfer();
      data.setData("text/html", c.html);
      data.setData("text/plain", c.text);
      document.querySelector(".ProseMirror")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, copied);
    await eventually(async () => expect((await paragraphTexts(page)).some((t) => t === "!Below the quotestand together")).toBe(true), 5000);
    expect(await page.locator(".block-quote").count()).toBe(quotes);
  });

  it("a new agenda topic puts the caret in its title", async () => {
    await slash(page, "Below the quote", "agen", "agendaTopic");
    await eventually(async () => expect(await page.evaluate(() => document.activeElement?.classList.contains("agenda-title"))).toBe(true), 5000);
    await page.keyboard.type("Water rights");
    expect(await page.locator(".block-agenda .agenda-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toContain("Water rights");
  });

  it("the outline scrolls a topic to just below the sticky toolbar, its header visible", async () => {
    const link = page.locator(".outline li a").nth(2);
    const id = (await link.getAttribute("href"))!.slice(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await link.click();
    // Smooth scrolling: wait until the page stands still.
    let last = -1;
    await eventually(async () => {
      const y = await page.evaluate(() => window.scrollY);
      const still = y === last;
      last = y;
      expect(still).toBe(true);
    }, 10_000, 250);
    const [bar, head] = await page.evaluate((blockId) => {
      const header = document.getElementById(blockId)!.querySelector(".agenda-head")!;
      return [document.querySelector(".editor-topbar")!.getBoundingClientRect().bottom, header.getBoundingClientRect().top];
    }, id);
    expect(head).toBeGreaterThanOrEqual(bar);
    expect(head - bar).toBeLessThan(80);
  });
});
