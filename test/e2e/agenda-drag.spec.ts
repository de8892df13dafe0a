import type { Editor } from "@tiptap/core";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { dragTopicAbove } from "../helpers/agenda-drag";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser } from "../helpers/http";
import { eventually } from "../helpers/yclient";

/** Agenda topics have a visible drag handle, and dragging it with the mouse reorders the agenda. */

const run = browserAvailable();

/** Titles of the top-level agenda topics in the editor's document, in order. */
const topicTitles = (page: Page) =>
  page.evaluate(() => {
    const editor = (document.querySelector(".ProseMirror") as HTMLElement & { editor: Editor }).editor;
    const titles: string[] = [];
    editor.state.doc.forEach((n) => {
      if (n.type.name === "agendaTopic") titles.push(String(n.attrs.title));
    });
    return titles;
  });

describe.skipIf(!run)("dragging agenda topics", () => {
  const env = useServerAndBrowser();
  let page: Page;

  beforeAll(async () => {
    const context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto("/briefings/ankara-summit");
    await page.locator(".ProseMirror [data-type='agenda-topic']").first().waitFor({ timeout: 30_000 });
  });

  it("shows a drag handle on every topic", async () => {
    const topics = page.locator(".ProseMirror [data-type='agenda-topic']");
    const n = await topics.count();
    expect(n).toBeGreaterThan(1);
    for (let i = 0; i < n; i++) {
      const handle = topics.nth(i).locator("[data-drag-handle]");
      expect(await handle.isVisible()).toBe(true);
      const box = (await handle.boundingBox())!;
      expect(box.width).toBeGreaterThan(8);
      expect(box.height).toBeGreaterThan(8);
    }
  });

  it("a mouse drag of the second topic above the first moves it there", async () => {
    const before = await topicTitles(page);
    expect(before.length).toBeGreaterThan(1);
    await dragTopicAbove(page, 1, 0);

    const expected = [before[1], before[0], ...before.slice(2)];
    await eventually(async () => expect(await topicTitles(page)).toEqual(expected), 10_000);
    // Numbers follow the new order.
    const topics = page.locator(".ProseMirror [data-type='agenda-topic']");
    expect(await topics.nth(0).locator(".agenda-title").inputValue()).toBe(before[1]);
    expect(await topics.nth(0).getByTestId("agenda-number").innerText()).toBe("1");
    // The moved topic is not left selected as a whole (others would see the mover's colour over
    // all of it): the caret stands at its start.
    const selection = await page.evaluate(() => {
      const { state } = (document.querySelector(".ProseMirror") as HTMLElement & { editor: Editor }).editor;
      const firstTopic = state.doc.content.content.findIndex((n) => n.type.name === "agendaTopic");
      return { empty: state.selection.empty, kind: state.selection.toJSON().type as string, inFirstTopic: state.selection.$from.index(0) === firstTopic };
    });
    expect(selection).toEqual({ empty: true, kind: "text", inFirstTopic: true });

    // The server has the new order too: someone else opening the briefing now sees it.
    await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 15_000 });
    const other = await signedInContext(env.browser, env.server.url, demoUser("owner").email);
    try {
      const ownerPage = await other.newPage();
      await ownerPage.goto("/briefings/ankara-summit");
      await ownerPage.locator(".ProseMirror [data-type='agenda-topic']").first().waitFor({ timeout: 30_000 });
      await eventually(async () => expect(await topicTitles(ownerPage)).toEqual(expected), 15_000);
    } finally {
      await other.close();
    }
  });
});
