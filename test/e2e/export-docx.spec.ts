import fs from "node:fs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";

const run = browserAvailable();

describe.skipIf(!run)("Word and Markdown export from the briefing page", () => {
  const env = useServerAndBrowser({ env: { PDF_WORKERS: "1" } });

  it("offers Word and Markdown next to the PDF, and a viewer downloads both", async () => {
    const context = await signedInContext(env.browser, env.server.url, "selin@demo.summitdesk.test");
    const page = await context.newPage();
    await page.goto("/briefings/ankara-summit");
    const group = page.getByRole("group", { name: "Export" });
    await group.getByRole("link", { name: "Export draft PDF" }).waitFor();

    const [word] = await Promise.all([page.waitForEvent("download"), group.getByRole("link", { name: "Export Word" }).click()]);
    expect(word.suggestedFilename()).toMatch(/^kazakhstan-turkiye-presidential-summit-ankara-draft-\d{4}-\d{2}-\d{2}\.docx$/);
    const zip = await JSZip.loadAsync(fs.readFileSync(await word.path()));
    expect(await zip.file("word/document.xml")!.async("string")).toContain("Kazakhstan–Türkiye presidential summit, Ankara");

    const [md] = await Promise.all([page.waitForEvent("download"), group.getByRole("link", { name: "Export Markdown" }).click()]);
    expect(md.suggestedFilename()).toMatch(/-draft-\d{4}-\d{2}-\d{2}\.md$/);
    const text = fs.readFileSync(await md.path(), "utf8");
    expect(text).toMatch(/^# Kazakhstan–Türkiye presidential summit, Ankara$/m);
    expect(text).toContain("**DRAFT — not for distribution**");
    await context.close();
  }, 90_000);
});
