import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { postForm } from "../helpers/http";

const run = browserAvailable();

describe.skipIf(!run)("the audit trail in a real browser", () => {
  const env = useServerAndBrowser();

  it("lets an owner open the trail from the members page, filter by action and see the sign-in rows", async () => {
    // Something else in the trail, so the filter has rows to leave out.
    const wrong = await postForm(env.server.url, "/login", null, { email: "emre@demo.summitdesk.test", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test").then((c) => c.close());

    const owner = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const page = await owner.newPage();
    await page.goto("/teams/demo-kz-tr-desk/members");
    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    await page.locator('tr[data-action="auth.sign_in_failed"]').first().waitFor();

    await page.getByLabel("Action").selectOption("auth.sign_in");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=auth\.sign_in(&|$)/);
    // Wait for the filtered table itself: the failed sign-in row goes, the two sign-ins stay.
    await page.locator('tr[data-action="auth.sign_in_failed"]').waitFor({ state: "detached" });
    const rows = page.locator("table.audit-table tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const texts = await rows.allTextContents();
    expect(texts[0]).toContain("aigerim@demo.summitdesk.test");
    expect(texts[1]).toContain("emre@demo.summitdesk.test");
    for (const t of texts) {
      expect(t).toContain("auth.sign_in");
      expect(t).toContain("method: password");
      expect(t).toContain("127.0.0.1");
    }
    await expect(page.getByLabel("Action").inputValue()).resolves.toBe("auth.sign_in");
    await owner.close();
  });
});
