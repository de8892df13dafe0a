import fs from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { selectPhrase } from "../helpers/select-phrase";
import { demoUser } from "../helpers/http";

/**
 * The whole clearance loop with three people on one briefing, each in their own browser: Dana
 * (commenter) suggests a change of wording and a new topic title; Emre (editor) accepts both, and
 * every page shows the new text live, and rejects a third (the text stays); Emre sends the brief for review naming Aigerim (owner), who
 * approves every section; Emre's edit of an approved topic resets that approval on every page;
 * finalize is refused naming it; Aigerim approves again and the brief is finalized.
 */

const run = browserAvailable();
const COMMENTER = demoUser("commenter");
const EDITOR = demoUser("editor");
const APPROVER = demoUser("owner");
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/clearance-loop-shots";
const SECTIONS = ["brief", "topic-regional-security", "topic-counter-terrorism", "topic-trade", "topic-culture", "topic-education-technology", "topic-tourism"];

const bodyHas = (page: Page, text: string) => page.waitForFunction((t) => document.querySelector(".ProseMirror")?.textContent?.includes(t) ?? false, text, { timeout: 30_000 });
const titleIs = (page: Page, blockId: string, title: string) =>
  page.waitForFunction(([id, t]) => (document.querySelector(`#title-${id}`) as HTMLInputElement | null)?.value === t, [blockId, title] as const, { timeout: 30_000 });

describe.skipIf(!run)("the clearance loop in three browsers", () => {
  const env = useServerAndBrowser({ env: { PDF_WORKERS: "1", PROJECTION_DEBOUNCE_MS: "100" } });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let dana: Page;
  let emre: Page;
  let aigerim: Page;
  let all: Page[];

  async function open(email: string): Promise<Page> {
    const context = await signedInContext(env.browser, env.server.url, email);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto("/briefings/ankara-summit");
    await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 60_000 });
    await page.locator('.comments-panel[data-connection="live"]').waitFor({ timeout: 60_000 });
    return page;
  }
  const badge = (page: Page, text: string) => page.locator(".briefing-meta .status-badge", { hasText: text });
  const cell = (page: Page, section: string) => page.locator(`.review-panel tr[data-section="${section}"] td.review-cell`).first();
  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // One after another: three editors loading at once on a busy two-core machine is slow enough.
    dana = await open(COMMENTER.email);
    emre = await open(EDITOR.email);
    aigerim = await open(APPROVER.email);
    all = [dana, emre, aigerim];
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it("a commenter suggests a wording and a topic title; the editor accepts both and all three pages change live, and rejects a third", async () => {
    // The wording, by keyboard on the selection.
    await selectPhrase(dana, "meeting of presidents");
    await dana.getByRole("button", { name: "Suggest edit" }).waitFor();
    await dana.keyboard.press("Control+Alt+KeyS");
    await dana.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("summit of heads of state");
    await dana.keyboard.press("Enter");
    const wording = (p: Page) => p.locator(".suggestion-card", { hasText: "Replace “meeting of presidents” with “summit of heads of state”" });

    // The title, from the topic's header: Dana's editor is read-only, so the title box is in the margin.
    await dana.getByRole("button", { name: "Suggest a title for topic 4" }).click();
    const box = dana.getByRole("article", { name: "New title suggestion" });
    await box.getByText("Topic title: “Cultural ties”").waitFor();
    // The box takes focus when it opens, also while the wording above is still being sent
    // (suggestions.spec.ts holds that request to show it).
    await dana.waitForFunction(() => document.activeElement?.closest('[aria-label="New title suggestion"]') !== null);
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("Cultural and people-to-people ties");
    await dana.keyboard.press("Enter");
    const title = (p: Page) => p.locator(".suggestion-card", { hasText: "Rename topic “Cultural ties” to “Cultural and people-to-people ties”" });

    for (const p of all) {
      await wording(p).waitFor();
      await title(p).waitFor();
    }
    // The topic shows the suggested title until it is decided.
    await expect(emre.locator('.has-title-suggestion[data-suggested-title="Cultural and people-to-people ties"]').count()).resolves.toBe(1);
    await expect(wording(dana).getByRole("button", { name: "Accept", exact: true }).count()).resolves.toBe(0);
    await title(emre).scrollIntoViewIfNeeded();
    await shot(emre, "1-suggestions-seen-by-editor");

    await wording(emre).getByRole("button", { name: "Accept", exact: true }).click();
    for (const p of all) await bodyHas(p, "Prepare the delegation for the summit of heads of state in Ankara");
    await title(emre).getByRole("button", { name: "Accept", exact: true }).click();
    for (const p of all) {
      await titleIs(p, "topic-culture", "Cultural and people-to-people ties");
      await title(p).waitFor({ state: "detached" });
      await wording(p).waitFor({ state: "detached" });
    }
    await dana.locator("#block-topic-culture").scrollIntoViewIfNeeded();
    await shot(dana, "2-accepted-seen-by-commenter");

    // A third one the editor rejects: the card goes for everyone and the text stays as it was.
    await selectPhrase(dana, "main focus");
    await dana.getByRole("button", { name: "Suggest edit" }).waitFor();
    await dana.keyboard.press("Control+Alt+KeyS");
    await dana.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("sole focus");
    await dana.keyboard.press("Enter");
    const rejected = (p: Page) => p.locator(".suggestion-card", { hasText: "Replace “main focus” with “sole focus”" });
    for (const p of all) await rejected(p).waitFor();
    await rejected(emre).getByRole("button", { name: "Reject", exact: true }).click();
    for (const p of all) await rejected(p).waitFor({ state: "detached" });
    for (const p of all) await bodyHas(p, "The summit’s main focus will be regional security.");
    for (const p of all) await expect(p.evaluate(() => document.querySelector(".ProseMirror")!.textContent!.includes("sole focus"))).resolves.toBe(false);
  }, 240_000);

  it("the editor sends it for review (not offering himself as approver) and the approver approves every section", async () => {
    await emre.getByRole("button", { name: "Send for review" }).click();
    const picker = emre.locator(".send-for-review");
    await picker.getByLabel(APPROVER.name).waitFor();
    await expect(picker.getByLabel(EDITOR.name).count()).resolves.toBe(0);
    await picker.getByLabel(APPROVER.name).check();
    await emre.getByRole("button", { name: "Confirm send for review" }).click();
    for (const p of all) {
      await badge(p, "In review").waitFor();
      await p.locator(".review-panel").getByText(`approvers: ${APPROVER.name}`).waitFor();
    }
    for (const section of SECTIONS) {
      await aigerim.locator(`.review-panel tr[data-section="${section}"]`).getByRole("button", { name: "Approve", exact: false }).first().click();
      for (const p of all) await cell(p, section).filter({ hasText: "Approved" }).waitFor();
    }
    await shot(dana, "3-approved-seen-by-commenter");
  }, 180_000);

  it("an edit of an approved topic resets that approval on every page; finalize is refused, then succeeds once approved again", async () => {
    const point = emre.locator("#block-topic-trade p").last();
    await point.click();
    await emre.keyboard.press("End");
    await emre.keyboard.type(" Revised after the call.");
    for (const p of all) await cell(p, "topic-trade").filter({ hasText: "Pending" }).waitFor({ timeout: 45_000 });
    for (const p of all) expect(await cell(p, "topic-culture").innerText()).toContain("Approved");
    await shot(aigerim, "4-reset-seen-by-approver");

    await emre.getByRole("button", { name: "Finalize…" }).click();
    await emre.getByRole("button", { name: "Confirm finalize" }).click();
    const refusal = emre.getByRole("alert").filter({ hasText: "Finalizing needs every approval." });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(`${APPROVER.name}: Topic 3`);
    await shot(emre, "5-finalize-refused");
    expect(await badge(dana, "In review").count()).toBe(1);

    await aigerim.locator('.review-panel tr[data-section="topic-trade"]').getByRole("button", { name: "Approve", exact: false }).first().click();
    for (const p of all) await cell(p, "topic-trade").filter({ hasText: "Approved" }).waitFor();
    await emre.getByRole("button", { name: "Finalize…" }).click();
    await emre.getByRole("button", { name: "Confirm finalize" }).click();
    for (const p of all) await badge(p, "Final").waitFor();
    for (const p of all) await bodyHas(p, "Revised after the call.");
    await shot(dana, "6-final-seen-by-commenter");
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
