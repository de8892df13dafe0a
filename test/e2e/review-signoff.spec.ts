import fs from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser } from "../helpers/http";

/**
 * Three people on one briefing: the editor sends it for review naming the commenter as approver,
 * the approver approves, the editor's edit of an approved topic resets it (the approver is told),
 * finalize is refused until the approver approves again; the owner's page follows every change live.
 */

const run = browserAvailable();
const OWNER = demoUser("owner");
const EDITOR = demoUser("editor");
const APPROVER = demoUser("commenter");
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/review-signoff-shots";

describe.skipIf(!run)("review sign-off in the browser", () => {
  const env = useServerAndBrowser({ env: { PDF_WORKERS: "1", PROJECTION_DEBOUNCE_MS: "100" } });
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let editor: Page;
  let approver: Page;

  async function open(email: string): Promise<Page> {
    const context = await signedInContext(env.browser, env.server.url, email);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto("/briefings/ankara-summit");
    await page.locator(".ProseMirror").waitFor({ timeout: 30_000 });
    await page.locator('.comments-panel[data-connection="live"]').waitFor();
    return page;
  }
  const badge = (page: Page, text: string) => page.locator(".briefing-meta .status-badge", { hasText: text });
  const cell = (page: Page, section: string) => page.locator(`.review-panel tr[data-section="${section}"] td.review-cell`).first();
  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    [owner, editor, approver] = await Promise.all([open(OWNER.email), open(EDITOR.email), open(APPROVER.email)]);
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it("send for review names the approver; every other page shows it at once, and the approver is notified", async () => {
    expect(await badge(owner, "Draft").count()).toBe(1);
    await editor.getByRole("button", { name: "Send for review" }).click();
    await editor.getByLabel(APPROVER.name).check();
    await editor.getByLabel("Due date (optional)").fill("2030-01-15");
    await editor.getByRole("button", { name: "Confirm send for review" }).click();
    await badge(owner, "In review").waitFor();
    await badge(approver, "In review").waitFor();
    await owner.locator(".review-panel").getByText(`approvers: ${APPROVER.name}`).waitFor();
    await approver.locator('.notification-bell[data-unread="1"]').waitFor();
    await shot(editor, "1-sent-for-review");
  }, 90_000);

  it("the approver approves; an edit of an approved topic resets only that topic and notifies the approver", async () => {
    for (const section of ["brief", "topic-regional-security", "topic-counter-terrorism", "topic-trade", "topic-culture", "topic-education-technology", "topic-tourism"]) {
      await approver.locator(`.review-panel tr[data-section="${section}"]`).getByRole("button", { name: "Approve", exact: false }).first().click();
      await cell(editor, section).filter({ hasText: "Approved" }).waitFor();
    }
    await shot(approver, "2-approved");

    // The editor types inside the trade topic.
    const topic = editor.locator("#block-topic-trade p").last();
    await topic.click();
    await editor.keyboard.press("End");
    await editor.keyboard.type(" Revised after the call.");
    await cell(editor, "topic-trade").filter({ hasText: "Pending" }).waitFor();
    await cell(owner, "topic-trade").filter({ hasText: "Pending" }).waitFor();
    expect(await cell(editor, "brief").innerText()).toContain("Approved");
    expect(await cell(editor, "topic-culture").innerText()).toContain("Approved");
    await approver.locator('.notification-bell[data-unread="2"]').waitFor();
    await shot(editor, "3-reset-by-edit");
  }, 120_000);

  it("finalize is refused with the missing approval named, then succeeds once approved again", async () => {
    await editor.getByRole("button", { name: "Finalize…" }).click();
    await editor.getByRole("button", { name: "Confirm finalize" }).click();
    const refusal = editor.getByRole("alert").filter({ hasText: "Finalizing needs every approval." });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(`${APPROVER.name}: Topic 3`);
    await shot(editor, "4-finalize-refused");

    // The approver reads the notification, then approves the topic again.
    await approver.getByRole("link", { name: /Notifications/ }).click();
    await approver.getByText(/was reset: Topic 3: .* was edited/).waitFor();
    await shot(approver, "5-notifications");
    await approver.goto("/briefings/ankara-summit");
    await approver.locator('.comments-panel[data-connection="live"]').waitFor();
    await approver.locator('.review-panel tr[data-section="topic-trade"]').getByRole("button", { name: "Approve", exact: false }).first().click();
    await cell(editor, "topic-trade").filter({ hasText: "Approved" }).waitFor();

    await editor.getByRole("button", { name: "Finalize…" }).click();
    await editor.getByRole("button", { name: "Confirm finalize" }).click();
    await badge(editor, "Final").waitFor();
    await badge(owner, "Final").waitFor();
    await badge(approver, "Final").waitFor();
    await shot(owner, "6-final-live");

    await owner.goto("/briefings/ankara-summit/versions");
    await owner.getByRole("region", { name: "Clearance record of version 1" }).getByText("Finalized by Emre Yıldız", { exact: false }).waitFor();
    await shot(owner, "7-clearance-record");
  }, 120_000);

  it("reopening shows Draft on the other pages without a reload", async () => {
    await owner.goto("/briefings/ankara-summit");
    await owner.locator('.comments-panel[data-connection="live"]').waitFor();
    await owner.getByRole("button", { name: "Reopen", exact: true }).click();
    await badge(editor, "Draft").waitFor();
    await badge(approver, "Draft").waitFor();
  }, 60_000);
});
