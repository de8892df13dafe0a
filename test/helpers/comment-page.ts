import type { APIRequestContext, Page } from "playwright-core";
import { selectPhrase } from "./select-phrase";

/** Page steps for comment threads in the browser tests: starting one on a phrase, and reading where its highlight is. */

/** Selects `phrase`, comments `text` on it with *Comment*, and returns the new thread's id once its card is posted. */
export async function commentOn(page: Page, phrase: string, text: string): Promise<string> {
  await selectPhrase(page, phrase);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await page.getByRole("textbox", { name: "Add a comment…" }).fill(text);
  await page.locator(".comment-composer").getByRole("button", { name: "Comment" }).click();
  // The thread may arrive over the live stream a moment before the answer to the POST closes the
  // draft, so both can show for that moment: wait for the posted card, then for the draft to go.
  const card = page.locator(".thread-card[data-thread-id]", { hasText: text });
  await card.waitFor();
  await page.locator(".thread-card.is-draft").waitFor({ state: "detached" });
  return (await card.getAttribute("data-thread-id"))!;
}

/** Where a thread's highlight is on the page: its text (other people's carets left out) and the title of the agenda topic around it. */
export interface ShownHighlight {
  text: string;
  topic: string | null;
}

/** The highlight of thread `threadId` as page `p` shows it now, or null when none is shown. */
export function shownHighlight(p: Page, threadId: string): Promise<ShownHighlight | null> {
  return p.evaluate((id) => {
    const spans = Array.from(document.querySelectorAll(`.ProseMirror .comment-highlight[data-thread-id="${id}"]`));
    if (spans.length === 0) return null;
    const text = spans
      .map((el) => {
        const copy = el.cloneNode(true) as Element;
        copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
        return copy.textContent!;
      })
      .join("");
    const title = spans[0].closest(".block-agenda")?.querySelector(".agenda-title") as HTMLInputElement | null;
    return { text, topic: title?.value ?? null };
  }, threadId);
}

/** Each thread as the server stores it now, by id: the text it quotes and whether it is detached. */
export async function storedThreads(request: APIRequestContext, briefing = "ankara-summit"): Promise<Record<string, { quoted: string; detached: boolean }>> {
  const res = await request.get(`/briefings/${briefing}/comments`, { headers: { Accept: "application/json" } });
  const { threads } = (await res.json()) as { threads: { id: string; quotedText: string; detached: boolean }[] };
  return Object.fromEntries(threads.map((t) => [t.id, { quoted: t.quotedText, detached: t.detached }]));
}
