import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { loginAs } from "../helpers/http";
import { connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

const run = browserAvailable();

describe.skipIf(!run)("finalize and export in a real browser", () => {
  const env = useServerAndBrowser({ env: { PDF_WORKERS: "1" } });

  it("sends for review, finalizes, downloads the PDF, lists the version and reopens", async () => {
    const context = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const page = await context.newPage();
    await page.goto("/briefings/ankara-summit");

    await page.getByRole("button", { name: "Send for review" }).click();
    await page.getByLabel("Emre Yıldız").check();
    await page.getByRole("button", { name: "Confirm send for review" }).click();
    await page.locator(".status-badge", { hasText: "In review" }).waitFor();

    await page.getByRole("button", { name: "Finalize…" }).click();
    // Nobody approved yet: the owner finalizes with a written reason (recorded in the clearance record).
    await page.getByLabel("Override missing approvals").fill("Export check before the desk reviews");
    await page.getByRole("button", { name: "Confirm finalize" }).click();
    await page.locator(".status-badge", { hasText: "Final" }).waitFor();
    await page.getByText("Final: editing is frozen.").waitFor();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export PDF" }).click()]);
    expect(download.suggestedFilename()).toBe("kazakhstan-turkiye-presidential-summit-ankara-v1.pdf");
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");

    await page.getByRole("link", { name: "Versions" }).click();
    await page.waitForURL(/\/versions$/);
    await page.getByRole("link", { name: "Version 1" }).click();
    await page.waitForURL(/\/versions\/1$/);
    await page.getByText("Final · read-only").waitFor();

    await page.goto("/briefings/ankara-summit");
    await page.getByRole("button", { name: "Reopen" }).click();
    await page.locator(".status-badge", { hasText: "Draft" }).waitFor();
    await expect(page.getByRole("link", { name: "Export draft PDF" }).isVisible()).resolves.toBe(true);
    await context.close();
  }, 90_000);

  it("shows a viewer no status buttons but lets them export", async () => {
    const context = await signedInContext(env.browser, env.server.url, "selin@demo.summitdesk.test");
    const page = await context.newPage();
    await page.goto("/briefings/ankara-summit");
    await page.getByRole("link", { name: "Export draft PDF" }).waitFor();
    await expect(page.getByRole("button", { name: "Send for review" }).count()).resolves.toBe(0);
    await context.close();
  });

  it("says why an export was refused instead of dropping the download", async () => {
    const cookie = await loginAs(env.server.url, "editor");
    const writer = await connectClient(env.server.url, cookie);
    firstParagraph(writer.doc).insert(0, "Agreed 🤝 today. ");
    const reader = await connectClient(env.server.url, cookie);
    await eventually(() => expect(firstParagraph(reader.doc).toString()).toContain("🤝"), 10_000);
    destroyAllClients();

    const context = await signedInContext(env.browser, env.server.url, "selin@demo.summitdesk.test");
    const page = await context.newPage();
    await page.goto("/briefings/ankara-summit");
    await page.getByRole("link", { name: "Export draft PDF" }).click();
    const alert = page.locator(".export-error[role=alert]");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain("U+1F91D");
    await expect(page.getByRole("link", { name: "Export draft PDF" }).isVisible()).resolves.toBe(true);
    await context.close();
  }, 60_000);
});
