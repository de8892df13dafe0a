import type { Editor } from "@tiptap/core";
import type { Page } from "playwright-core";

/**
 * Puts the caret at the end of the paragraph that contains `needle` (or the `index`th one), as a click there would, and
 * waits until ProseMirror has read it: the DOM selection is only the browser's, the editor reads
 * it on `selectionchange`, and typing before that goes wherever the editor's own selection was.
 */
export async function caretAtEndOf(page: Page, needle: string | { index: number }, timeoutMs = 10_000, blockSelector = "p"): Promise<void> {
  try {
    await page.waitForFunction(
      ([text, selector]) => {
        const root = document.querySelector(".ProseMirror") as (HTMLElement & { editor?: Editor }) | null;
        const view = root?.editor?.view;
        if (!root || !view) return false;
        // Other people's carets are widgets inside the text; leave their name labels out.
        const textOf = (el: Element) => {
          const copy = el.cloneNode(true) as Element;
          copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
          return copy.textContent!;
        };
        const blocks = Array.from(root.querySelectorAll(selector));
        const p = typeof text === "string" ? blocks.find((el) => textOf(el).includes(text)) : blocks[text.index];
        if (!p) return false;
        const want = view.state.doc.resolve(view.posAtDOM(p, 0)).end();
        const sel = view.state.selection;
        if (sel.empty && sel.from === want && document.activeElement === root) return true;
        p.scrollIntoView({ block: "center" });
        root.focus();
        const range = document.createRange();
        range.selectNodeContents(p);
        range.collapse(false);
        const dom = window.getSelection()!;
        dom.removeAllRanges();
        dom.addRange(range);
        return false; // checked again on the next poll, once ProseMirror had its selectionchange
      },
      [needle, blockSelector] as const,
      { polling: 50, timeout: timeoutMs },
    );
  } catch (err) {
    const where = await page.evaluate(() => window.getSelection()?.anchorNode?.textContent?.slice(0, 60) ?? null);
    const what = typeof needle === "string" ? `"${needle}"` : `block ${needle.index}`;
    throw new Error(`could not put the caret at the end of ${what} (the selection is in "${where}"): ${err}`, { cause: err });
  }
}

/** Text of every paragraph in the editor, without other people's caret widgets. */
export function paragraphTexts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".ProseMirror p")).map((el) => {
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
      return copy.textContent!.replace(/\u2060/g, "");
    }),
  );
}
