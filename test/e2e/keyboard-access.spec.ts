import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser } from "../helpers/http";
import { eventually } from "../helpers/yclient";

/** Reaching things with the keyboard alone: sign-in, passing the top bar, and the Insert menu. */

const run = browserAvailable();
const EDITOR = demoUser("editor");

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? "", name: el?.getAttribute("name") ?? "", text: el?.textContent?.trim() ?? "", command: el?.dataset.command ?? "", id: el?.id ?? "" };
  });

describe.skipIf(!run)("keyboard access", () => {
  const env = useServerAndBrowser();

  it("the sign-in page puts the caret in the email field", async () => {
    const context = await env.browser.newContext({ baseURL: env.server.url });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      await eventually(async () => expect((await focused(page)).name).toBe("email"), 10_000);
      await page.keyboard.type(EDITOR.email);
      expect(await page.getByLabel("Email").inputValue()).toBe(EDITOR.email);
    } finally {
      await context.close();
    }
  });

  it("the first Tab on a page reaches “Skip to content”, which moves focus past the top bar", async () => {
    const context = await signedInContext(env.browser, env.server.url, EDITOR.email);
    try {
      const page = await context.newPage();
      for (const path of ["/teams", "/mentions"]) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press("Tab");
        expect((await focused(page)).text).toBe("Skip to content");
        expect(await page.getByRole("link", { name: "Skip to content" }).isVisible()).toBe(true);
        await page.keyboard.press("Enter");
        await eventually(async () => expect((await focused(page)).id).toBe("main"), 5000);
        // The next Tab goes into the page, not back into the top bar.
        await page.keyboard.press("Tab");
        const inTopbar = await page.evaluate(() => !!document.activeElement?.closest(".topbar"));
        expect(inTopbar).toBe(false);
      }
    } finally {
      await context.close();
    }
  });

  describe("the Insert menu", () => {
    let page: Page;
    beforeAll(async () => {
      const context = await signedInContext(env.browser, env.server.url, EDITOR.email);
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto("/briefings/ankara-summit");
      await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
    });

    const insertButton = () => page.locator(".tool-insert");

    it("opens on ArrowDown at the first item, moves with arrows, Home and End, with one tab stop", async () => {
      await insertButton().focus();
      await page.keyboard.press("ArrowDown");
      const menu = page.getByRole("menu", { name: "Insert block" });
      await menu.waitFor();
      const ids = await menu.getByRole("menuitem").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.command!));
      expect(ids.length).toBeGreaterThan(2);
      await eventually(async () => expect((await focused(page)).command).toBe(ids[0]), 5000);
      await page.keyboard.press("ArrowDown");
      await eventually(async () => expect((await focused(page)).command).toBe(ids[1]), 5000);
      await page.keyboard.press("End");
      await eventually(async () => expect((await focused(page)).command).toBe(ids[ids.length - 1]), 5000);
      await page.keyboard.press("ArrowDown"); // wraps
      await eventually(async () => expect((await focused(page)).command).toBe(ids[0]), 5000);
      await page.keyboard.press("ArrowUp"); // wraps back
      await eventually(async () => expect((await focused(page)).command).toBe(ids[ids.length - 1]), 5000);
      await page.keyboard.press("Home");
      await eventually(async () => expect((await focused(page)).command).toBe(ids[0]), 5000);
      const tabStops = await menu.getByRole("menuitem").evaluateAll((els) => els.map((e) => (e as HTMLElement).tabIndex));
      expect(tabStops).toEqual(ids.map((_, i) => (i === 0 ? 0 : -1)));
    });

    it("Escape closes it and gives focus back to the button", async () => {
      await page.keyboard.press("Escape");
      await page.getByRole("menu", { name: "Insert block" }).waitFor({ state: "detached" });
      await eventually(async () => expect(await insertButton().evaluate((b) => b === document.activeElement)).toBe(true), 5000);
      expect(await insertButton().getAttribute("aria-expanded")).toBe("false");
    });

    it("ArrowUp opens it at the last item, and Enter runs that item", async () => {
      const topics = await page.locator(".ProseMirror [data-type='agenda-topic']").count();
      await page.keyboard.press("ArrowUp");
      const menu = page.getByRole("menu", { name: "Insert block" });
      await menu.waitFor();
      const ids = await menu.getByRole("menuitem").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.command!));
      await eventually(async () => expect((await focused(page)).command).toBe(ids[ids.length - 1]), 5000);
      // Move to the agenda topic and take it.
      await page.keyboard.press("Home");
      for (let i = 0; i < ids.indexOf("agendaTopic"); i++) await page.keyboard.press("ArrowDown");
      await eventually(async () => expect((await focused(page)).command).toBe("agendaTopic"), 5000);
      await page.keyboard.press("Enter");
      await menu.waitFor({ state: "detached" });
      await eventually(async () => expect(await page.locator(".ProseMirror [data-type='agenda-topic']").count()).toBe(topics + 1), 10_000);
    });
  });
});
