import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_TEAM_ID } from "../../server/seed/demo";
import { demoUser } from "../helpers/http";
import { browserAvailable, useServerAndBrowser } from "../helpers/browser";

const run = browserAvailable();

/** Return targets that reached another host (or a broken response) before. */
const FALLING_BACK = [
  "/\t/evil.test/x",
  "/\n/evil.test/x",
  "/\\evil.test/x",
  "//evil.test/x",
  "/.//evil.test/x",
  "https://evil.test/x",
  "javascript:alert(1)",
  "data:text/html,<h1>x</h1>",
];

describe.skipIf(!run)("redirectTo in a real browser", () => {
  const env = useServerAndBrowser();

  /** A context in which any other host answers with a page we can recognise instead of a DNS error. */
  async function guardedContext(): Promise<BrowserContext> {
    const context = await env.browser.newContext({ baseURL: env.server.url });
    const own = new URL(env.server.url).origin;
    await context.route(
      (url) => url.origin !== own,
      (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Left the site</h1>" }),
    );
    return context;
  }

  /** Every link target and form action on the page, as the browser resolved it. */
  async function expectOnlyOwnOrigin(page: Page) {
    const own = new URL(env.server.url).origin;
    expect(new URL(page.url()).origin).toBe(own);
    const targets = await page.evaluate(() => [
      ...Array.from(document.querySelectorAll("a[href]"), (a) => (a as HTMLAnchorElement).href),
      ...Array.from(document.querySelectorAll("form"), (f) => f.action),
    ]);
    for (const target of targets) expect({ target, origin: new URL(target).origin }).toEqual({ target, origin: own });
    return targets;
  }

  async function openLogin(page: Page, redirectTo: string) {
    await page.goto(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
  }

  // The fallback target is /teams, which sends a member of one team on to that team's briefings.
  it.each(FALLING_BACK.map((v) => [JSON.stringify(v), v]))("signing in with redirectTo=%s lands on the teams page (the only team's briefings)", async (_label, redirectTo) => {
    const context = await guardedContext();
    try {
      const page = await context.newPage();
      await openLogin(page, redirectTo);
      // The login page itself: its links and hidden fields carry the checked target only.
      await expectOnlyOwnOrigin(page);
      // The card's "Create an account" link (the top bar has its own plain one).
      const signupLink = await page.getByRole("link", { name: "Create an account" }).evaluate((a) => (a as HTMLAnchorElement).href);
      expect(new URL(signupLink).searchParams.get("redirectTo")).toBe("/teams");
      const hidden = await page.locator('input[name="redirectTo"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
      expect(new Set(hidden)).toEqual(new Set(["/teams"]));

      await page.getByLabel("Email").fill(demoUser("editor").email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 20_000 });
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      expect(new URL(page.url()).pathname).toBe(`/teams/${DEMO_TEAM_ID}`);
      await expectOnlyOwnOrigin(page);
    } finally {
      await context.close();
    }
  });

  it("one-click demo sign-in with a TAB-smuggled target stays on the site", async () => {
    const context = await guardedContext();
    try {
      const page = await context.newPage();
      await openLogin(page, "/\t/evil.test/x");
      await page.getByRole("button", { name: /Emre Yıldız/ }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 20_000 });
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      expect(new URL(page.url()).pathname).toBe(`/teams/${DEMO_TEAM_ID}`);
      await expectOnlyOwnOrigin(page);
    } finally {
      await context.close();
    }
  });

  it("an encoded double slash is a path on this site, not another host", async () => {
    const context = await guardedContext();
    try {
      const page = await context.newPage();
      await openLogin(page, "/%2F%2Fevil.test/x");
      await expectOnlyOwnOrigin(page);
      await page.getByLabel("Email").fill(demoUser("editor").email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 20_000 });
      await page.waitForLoadState();
      expect(await page.getByText("Left the site").count()).toBe(0);
      await expectOnlyOwnOrigin(page);
    } finally {
      await context.close();
    }
  });

  it("the sign-up page reached from the login page carries only the checked target", async () => {
    const context = await guardedContext();
    try {
      const page = await context.newPage();
      await openLogin(page, "//evil.test/x");
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
      await expectOnlyOwnOrigin(page);
      const back = await page.locator('.auth-card a[href^="/login"]').evaluate((a) => (a as HTMLAnchorElement).href);
      expect(new URL(back).searchParams.get("redirectTo")).toBe("/teams");
      await page.getByLabel("Full name").fill("Browser Probe");
      await page.getByLabel("Email").fill("browser-probe@example.test");
      await page.getByLabel("Password").fill("long-enough-pw");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL((url) => url.pathname === "/teams", { timeout: 20_000 });
      await expectOnlyOwnOrigin(page);
    } finally {
      await context.close();
    }
  });
});
