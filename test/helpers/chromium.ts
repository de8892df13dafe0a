import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

// Debian's Chromium through playwright-core, for the browser tests and the benchmark (no vitest here).

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
