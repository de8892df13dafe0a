import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEAM_ID } from "../../server/seed/demo";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser, login, postForm } from "../helpers/http";
import { selectPhrase } from "../helpers/select-phrase";

/** Status changes and deletion reach every open page of the briefing at once, with who did it. */

const run = browserAvailable();
const OWNER = demoUser("owner");
const EDITOR = demoUser("editor");

describe.skipIf(!run)("live briefing status", () => {
  const env = useServerAndBrowser();
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let editor: Page;
  let briefingId: string;
  let ownerCookie: string;

  async function open(email: string): Promise<Page> {
    const context = await signedInContext(env.browser, env.server.url, email);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`/briefings/${briefingId}`);
    await page.locator(".ProseMirror").waitFor({ timeout: 30_000 });
    // The live stream is open: from here on no change can be missed.
    await page.locator('.comments-panel[data-connection="live"]').waitFor();
    return page;
  }

  const badge = (page: Page) => page.locator(".briefing-meta .status-badge");

  beforeAll(async () => {
    ownerCookie = await login(env.server.url, OWNER.email);
    const res = await postForm(env.server.url, `/teams/${DEMO_TEAM_ID}?index`, ownerCookie, {
      intent: "create",
      title: "Live status brief",
      summitName: "Follow-up",
      city: "Astana",
      startDate: "2027-03-01",
      endDate: "2027-03-02",
      classification: "RESTRICTED",
    });
    expect(res.status).toBe(302);
    briefingId = res.headers.get("location")!.split("/").pop()!;
    [owner, editor] = await Promise.all([open(OWNER.email), open(EDITOR.email)]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it("“Send for review” on one page shows “In review” and the next action on the other", async () => {
    expect(await badge(editor).innerText()).toBe("Draft");
    await owner.getByRole("button", { name: "Send for review" }).click();
    await owner.getByLabel(EDITOR.name).check();
    await owner.getByRole("button", { name: "Confirm send for review" }).click();
    await editor.locator(".briefing-meta .status-badge", { hasText: "In review" }).waitFor();
    await editor.getByRole("button", { name: "Finalize…" }).waitFor();
    expect(await editor.getByRole("button", { name: "Send for review" }).count()).toBe(0);
  });

  it("finalizing tells the others who finalized it, and freezes their editor", async () => {
    // An open suggestion, which the editor may accept while the briefing is not final.
    await selectPhrase(owner, "the delegation wants");
    await owner.keyboard.press("Control+Alt+KeyS");
    await owner.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
    await owner.keyboard.press("Control+A");
    await owner.keyboard.type("the delegation seeks");
    await owner.keyboard.press("Enter");
    const card = editor.locator(".suggestion-card", { hasText: "“the delegation seeks”" });
    await card.getByRole("button", { name: "Accept", exact: true }).waitFor();

    await owner.getByRole("button", { name: "Finalize…" }).click();
    // Nobody approved: the owner finalizes with a written reason.
    await owner.getByLabel("Override missing approvals").fill("The summit moved forward a day");
    await owner.getByRole("button", { name: "Confirm finalize" }).click();
    await editor.locator(".briefing-meta .status-badge", { hasText: "Final" }).waitFor();
    const banner = editor.getByTestId("read-only-banner");
    await banner.filter({ hasText: `Finalized by ${OWNER.name}: editing is frozen.` }).waitFor();
    expect(await banner.innerText()).not.toContain("Your access changed");
    expect(await editor.locator(".ProseMirror").getAttribute("contenteditable")).toBe("false");
    // A final text takes no suggestions (the server answers 409): a selection offers a comment only,
    // and the shortcut opens no suggestion box.
    await selectPhrase(editor, "from Follow-up");
    await editor.getByRole("button", { name: "Comment", exact: true }).waitFor();
    expect(await editor.getByRole("button", { name: "Suggest edit" }).count()).toBe(0);
    await editor.keyboard.press("Control+Alt+KeyS");
    await editor.waitForTimeout(300);
    expect(await editor.locator(".suggestion-input").count()).toBe(0);
    // Nor can anything be accepted on it: the card stays, without its decisions.
    await card.waitFor();
    expect(await card.getByRole("button", { name: "Accept", exact: true }).count()).toBe(0);
    expect(await card.getByRole("button", { name: "Reject", exact: true }).count()).toBe(0);
  });

  it("reopening gives the editor back a draft they can type in, without a reload", async () => {
    await owner.getByRole("button", { name: "Reopen", exact: true }).click();
    await editor.locator(".briefing-meta .status-badge", { hasText: "Draft" }).waitFor();
    await editor.getByTestId("read-only-banner").waitFor({ state: "detached" });
    await editor.locator('.ProseMirror[contenteditable="true"]').waitFor();
    await editor.getByRole("button", { name: "Send for review" }).waitFor();
    // Deciding and suggesting are offered again on the draft.
    await editor.locator(".suggestion-card", { hasText: "“the delegation seeks”" }).getByRole("button", { name: "Accept", exact: true }).waitFor();
    await selectPhrase(editor, "from Follow-up");
    await editor.getByRole("button", { name: "Suggest edit" }).waitFor();
  });

  it("a briefing deleted while open says so, and by whom", async () => {
    const res = await postForm(env.server.url, `/teams/${DEMO_TEAM_ID}?index`, ownerCookie, { intent: "delete", briefingId });
    expect(res.status).toBe(200);
    await editor.getByRole("alert").filter({ hasText: `${OWNER.name} deleted this briefing.` }).waitFor();
  });
});
