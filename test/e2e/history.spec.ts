import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { loginAs } from "../helpers/http";
import { connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * Version history as a desk officer uses it: Aigerim (owner) is told what Emre changed since she
 * last read the briefing, compares two versions, and restores the older one while Emre's editor
 * is open; his copy follows at once.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";

describe.skipIf(!run)("version history in the browser", () => {
  // Versions as soon as editing settles, so the test does not wait minutes.
  const env = useServerAndBrowser({ env: { HISTORY_INTERVAL_MS: "50" } });

  it("shows what changed since the last read, compares two versions and restores one live", async () => {
    const context = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const page = await context.newPage();
    try {
      // Her first visit records what she has read.
      await page.goto("/briefings/ankara-summit");
      await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 30_000 });
      await page.goto("about:blank");

      // Emre edits twice, each edit settling into a version of its own.
      const emre = await connectClient(env.server.url, await loginAs(env.server.url, "editor"));
      // Versions credited to Emre, counted on the history page (her first visit may add one of hers).
      const emreVersions = () =>
        page.request.get(`${env.server.url}/briefings/ankara-summit/history`).then(async (r) => ((await r.text()).match(/history-author"><span[^>]*><\/span>Emre Yıldız/g) ?? []).length);
      firstParagraph(emre.doc).insert(0, "First revision. ");
      await eventually(async () => expect(await emreVersions()).toBe(1), 20_000);
      firstParagraph(emre.doc).insert(0, "Second revision. ");
      await eventually(async () => expect(await emreVersions()).toBe(2), 20_000);

      // Back on the briefing: the banner names Emre; Mark read clears it.
      await page.goto("/briefings/ankara-summit");
      const banner = page.getByText(/changes? by Emre Yıldız since you last read/);
      await banner.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: `${SHOTS}/history-banner.png` });
      await page.getByRole("button", { name: "Mark read" }).click();
      await banner.waitFor({ state: "detached" });

      // History → Compare the two versions: the second revision is the insertion, credited to Emre.
      await page.goto("/briefings/ankara-summit/history");
      await page.getByRole("button", { name: "Compare selected" }).click();
      const inserted = page.locator("ins", { hasText: "Second revision." });
      await inserted.waitFor();
      expect(await inserted.getAttribute("data-author")).toBe("Emre Yıldız");
      expect(await page.locator("del", { hasText: "First revision." }).count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/history-compare.png`, fullPage: true });

      // Restore the version of Emre's first revision (asked once more before it happens): his open
      // copy loses the second revision at once, and the restore is itself a version.
      await page.goto("/briefings/ankara-summit/history");
      const row = page.locator("tbody tr", { hasText: "Emre Yıldız" }).last();
      const seq = (await row.getByRole("link", { name: /^Version \d+$/ }).innerText()).replace("Version ", "");
      await row.getByRole("button", { name: "Restore…" }).click();
      await row.getByRole("button", { name: `Restore version ${seq}` }).click();
      await eventually(() => expect(firstParagraph(emre.doc).toString()).toMatch(/^First revision\. /), 20_000);
      expect(firstParagraph(emre.doc).toString()).not.toContain("Second revision.");
      await page.locator("tbody tr", { hasText: `Restored version ${seq}` }).waitFor();
      // The page says it happened and which version the restore became (the fetcher got the answer:
      // the page did not load again).
      const restoredSeq = await page.locator("tbody tr", { hasText: `Restored version ${seq}` }).getAttribute("data-version");
      await page.getByRole("status").filter({ hasText: `Restored. Everyone editing sees it now; it is version ${restoredSeq} in the history.` }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${SHOTS}/history-restored.png`, fullPage: true });

      // View opens the version in the page, without loading the page again (the list's links are
      // plain anchors navigated client-side).
      await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
      await page.locator(`tbody tr[data-version="${seq}"]`).getByRole("link", { name: "View" }).click();
      await page.waitForURL(new RegExp(`/briefings/ankara-summit/history/${seq}$`));
      await page.getByRole("heading", { name: new RegExp(`Version ${seq}`) }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    } finally {
      destroyAllClients();
      await context.close();
    }
  }, 180_000);
});
