/**
 * `npm run screenshot`: builds the app, starts it on a fresh seeded database and captures the
 * README screenshots with Debian's Chromium into docs/screenshots/.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { launchBrowser, signedInContext } from "../test/helpers/browser";
import { startTestServer } from "../test/helpers/server";

const outDir = path.resolve("docs/screenshots");
const buildDir = path.resolve(".build-screenshot");
execFileSync(process.execPath, ["scripts/build.mjs"], {
  env: { ...process.env, SD_BUILD_DIR: buildDir, NODE_ENV: "production" },
  stdio: ["ignore", "ignore", "inherit"],
});
process.env.SD_BUILD_DIR = buildDir;
fs.mkdirSync(outDir, { recursive: true });

const server = await startTestServer();
const browser = await launchBrowser();
try {
  const anonymous = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 760 } });
  const login = await anonymous.newPage();
  await login.goto("/login");
  await login.screenshot({ path: path.join(outDir, "login.png") });

  const context = await signedInContext(browser, server.url, "aigerim@demo.summitdesk.test");
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.goto("/teams/demo-kz-tr-desk");
  await page.screenshot({ path: path.join(outDir, "briefings-list.png") });
  await page.goto("/briefings/ankara-summit");
  await page.getByTestId("save-status").filter({ hasText: "Saved" }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(outDir, "briefing-editor.png") });
  const targets = (process.argv[2] ?? "").split(",").filter(Boolean);
  for (const target of targets) {
    await page.goto(target);
    await page.waitForTimeout(1500);
    const name = target.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
    await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  }
  console.log(`screenshots written to ${outDir}`);
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(buildDir, { recursive: true, force: true });
}
