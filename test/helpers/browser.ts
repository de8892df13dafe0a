import fs from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { DEMO_PASSWORD } from "../../server/seed/demo";
import { startTestServer, type StartOptions, type TestServer } from "./server";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether browser tests can run here; without Chromium they skip loudly, or fail with REQUIRE_BROWSER=1. */
export function browserAvailable(): boolean {
  const ok = fs.existsSync(CHROMIUM_PATH);
  if (!ok) {
    const msg = `Chromium not found at ${CHROMIUM_PATH}: browser tests cannot run (apt-get install chromium, or set CHROMIUM_PATH).`;
    if (process.env.REQUIRE_BROWSER === "1") throw new Error(msg);
    process.stderr.write(`\n*** SKIPPING BROWSER TESTS *** ${msg}\n\n`);
  }
  return ok;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

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
