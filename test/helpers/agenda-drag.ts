import type { Page } from "playwright-core";

/**
 * Drags agenda topic `from` (0-based) by its drag handle with the mouse and drops it on the top
 * edge of topic `onto`, as a hand would: press on the handle, move a little (the browser starts a
 * drag only after the pointer has moved), then on to the target in several steps, and release.
 * Scrolls so that the target's top edge is in view below the sticky toolbar first; the handle must
 * then be on screen too.
 */
export async function dragTopicAbove(page: Page, from: number, onto: number): Promise<void> {
  const topics = page.locator(".ProseMirror [data-type='agenda-topic']");
  await topics.nth(from).scrollIntoViewIfNeeded();
  // The toolbar may wrap onto two rows: measure it rather than assume its height.
  await topics.nth(onto).evaluate((el) => {
    const bar = document.querySelector(".editor-topbar")?.getBoundingClientRect().bottom ?? 0;
    window.scrollBy(0, el.getBoundingClientRect().top - bar - 8);
  });
  const target = await topics.nth(onto).boundingBox();
  const handle = await topics.nth(from).locator("[data-drag-handle]").boundingBox();
  const height = page.viewportSize()?.height ?? Infinity;
  // A drag does not scroll the page reliably in headless Chromium: both ends must be on screen.
  if (!target || !handle || handle.y + handle.height / 2 < 0 || handle.y + handle.height / 2 > height - 2) {
    throw new Error(`topic ${from + 1}'s drag handle is not on screen with the top of topic ${onto + 1} (a window ${height}px high): make the window taller`);
  }
  const x = handle.x + handle.width / 2;
  const y = handle.y + handle.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 5, y - 5, { steps: 3 });
  await page.mouse.move(target.x + target.width / 2, target.y + 3, { steps: 12 });
  await page.mouse.up();
}
