import type { Page } from "playwright-core";

/**
 * Selects the first occurrence of `phrase` inside one text node of the page's editor, as a
 * person dragging over it would (a DOM selection ProseMirror reads), after scrolling it into view;
 * waits until the browser reports that exact selection.
 */
export async function selectPhrase(page: Page, phrase: string): Promise<void> {
  await page.evaluate((needle) => {
    const root = document.querySelector(".ProseMirror")!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(needle);
      if (i < 0) continue;
      n.parentElement!.scrollIntoView({ block: "center" });
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + needle.length);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return;
    }
    throw new Error(`"${needle}" not on the page`);
  }, phrase);
  await page.waitForFunction((needle) => window.getSelection()?.toString() === needle, phrase);
}
