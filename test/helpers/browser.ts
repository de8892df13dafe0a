import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { DEMO_PASSWORD } from "../../server/seed/demo";
import { launchBrowser } from "./chromium";
import { startTestServer, type StartOptions, type TestServer } from "./server";

export { browserAvailable, launchBrowser } from "./chromium";

/** A browser context signed in through the real login form. */
export async function signedInContext(browser: Browser, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.close();
  return context;
}

/**
 * A real server and Chromium for the enclosing `describe`: started before its tests, stopped after.
 * Read `env.server` and `env.browser` inside tests.
 */
export function useServerAndBrowser(opts: StartOptions = {}): { server: TestServer; browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    [env.server, env.browser] = await Promise.all([startTestServer(opts), launchBrowser()]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
