import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";

const run = browserAvailable();

describe.skipIf(!run)("foundation in a real browser", () => {
  const env = useServerAndBrowser();

  it("signs in with one click as a demo user and opens the Ankara briefing", async () => {
    const context = await env.browser.newContext({ baseURL: env.server.url });
    const page = await context.newPage();
    await page.goto("/briefings/ankara-summit");
    await page.waitForURL(/\/login\?redirectTo=/);
    await page.getByRole("button", { name: /Emre Yıldız/ }).click();
    await page.waitForURL(/\/briefings\/ankara-summit$/);
    // The URL changes before React renders the new route: wait for the heading itself.
    await page.getByRole("heading", { level: 1, name: "Kazakhstan–Türkiye presidential summit, Ankara" }).waitFor();
    await context.close();
  });

  it("signs in with email and password, sees the list and creates a briefing", async () => {
    const context = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const page = await context.newPage();
    // With one team, the teams page goes straight to its briefings.
    await page.goto("/teams");
    await page.locator("table.briefings-table").getByRole("link", { name: "Kazakhstan–Türkiye presidential summit, Ankara" }).waitFor();

    // Submitting empty shows field errors instead of failing.
    await page.getByRole("button", { name: "Create briefing" }).click();
    await page.getByText("Give the briefing a title.").waitFor();

    await page.getByLabel("Title", { exact: true }).fill("Astana follow-up talks");
    await page.getByLabel("Summit", { exact: true }).fill("KZ–TR follow-up");
    await page.getByLabel("City", { exact: true }).fill("Astana");
    await page.getByLabel("Starts").fill("2027-03-01");
    await page.getByLabel("Ends").fill("2027-03-02");
    await page.getByRole("button", { name: "Create briefing" }).click();
    await page.waitForURL(/\/briefings\/[A-Za-z0-9_-]+$/);
    await page.getByRole("heading", { level: 1, name: "Astana follow-up talks" }).waitFor();

    await page.getByRole("link", { name: "Kazakhstan–Türkiye desk" }).click();
    await page.waitForURL(/\/teams\//);
    const rows = page.locator("table.briefings-table tbody tr");
    await expect(rows.first().textContent()).resolves.toContain("Astana follow-up talks");
    await context.close();
  });
});
