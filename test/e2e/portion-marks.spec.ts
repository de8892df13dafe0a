import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEAM_ID } from "../../server/seed/demo";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import * as Y from "yjs";
import { demoUser, login, postForm } from "../helpers/http";
import { body, connectClient, destroyAllClients } from "../helpers/yclient";
import { caretAtEndOf } from "../helpers/editor-page";

/** Portion marks set in one browser change the header banner and show "(C)" live in another. */

const run = browserAvailable();
const OWNER = demoUser("owner");
const EDITOR = demoUser("editor");
const SCREENSHOT = process.env.PORTION_MARK_SCREENSHOT;

describe.skipIf(!run)("portion marks in the editor", () => {
  const env = useServerAndBrowser();
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let editor: Page;
  let briefingId: string;

  async function open(email: string): Promise<Page> {
    const context = await signedInContext(env.browser, env.server.url, email);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`/briefings/${briefingId}`);
    await page.locator('.ProseMirror[contenteditable="true"] p').first().waitFor({ timeout: 30_000 });
    return page;
  }

  const banner = (page: Page) => page.getByTestId("classification-banner");

  beforeAll(async () => {
    const cookie = await login(env.server.url, OWNER.email);
    const res = await postForm(env.server.url, `/teams/${DEMO_TEAM_ID}?index`, cookie, {
      intent: "create",
      title: "Marked brief",
      summitName: "Follow-up",
      city: "Astana",
      startDate: "2027-03-01",
      endDate: "2027-03-02",
      classification: "RESTRICTED",
    });
    expect(res.status).toBe(302);
    briefingId = res.headers.get("location")!.split("/").pop()!;
    [editor, owner] = await Promise.all([open(EDITOR.email), open(OWNER.email)]);
  });
  afterAll(async () => {
    destroyAllClients();
    for (const c of contexts) await c.close();
  });

  it("the toolbar marks a paragraph CONFIDENTIAL: both headers change and the other user sees (C)", async () => {
    expect(await banner(editor).innerText()).toBe("RESTRICTED");
    expect(await banner(owner).innerText()).toBe("RESTRICTED");
    const paragraph = editor.locator(".ProseMirror p").first();
    await paragraph.click();
    await editor.getByLabel("Portion mark").selectOption("CONFIDENTIAL");
    await banner(editor).filter({ hasText: "CONFIDENTIAL" }).waitFor();

    const marked = owner.locator('.ProseMirror p[data-portion-label="(C)"]');
    await marked.waitFor();
    await banner(owner).filter({ hasText: "CONFIDENTIAL" }).waitFor();
    // The label is drawn before the text, not typed into it.
    const before = await marked.evaluate((el) => getComputedStyle(el, "::before").content);
    expect(before).toBe('"(C) "');
    expect(await marked.innerText()).not.toContain("(C)");
    if (SCREENSHOT) await owner.screenshot({ path: SCREENSHOT });
  });

  it("Ctrl+Alt+K steps a block through the levels; a lower mark leaves the header as it is", async () => {
    // A click alone can leave the editor's own selection in the first paragraph on a busy machine,
    // and the shortcut would then step that one from (C) to (S).
    await caretAtEndOf(editor, { index: 1 });
    await editor.keyboard.press("Control+Alt+k");
    await owner.locator('.ProseMirror p[data-portion-label="(U)"]').waitFor();
    expect(await banner(owner).innerText()).toBe("CONFIDENTIAL");
  });

  it("the / menu marks a block SECRET, which raises the header everywhere", async () => {
    await caretAtEndOf(editor, { index: 2 });
    await editor.keyboard.type(" /secret");
    await editor.locator('.slash-menu [data-command="portion-S"]').waitFor();
    await editor.keyboard.press("Enter");
    await banner(owner).filter({ hasText: "SECRET" }).waitFor();
    await owner.locator('.ProseMirror p[data-portion-label="(S)"]').waitFor();
    expect(await owner.locator(".ProseMirror").innerText()).not.toContain("/secret");
  });

  it("a structured block marked by another client shows its (C) in the card", async () => {
    const client = await connectClient(env.server.url, await login(env.server.url, EDITOR.email), { briefingId });
    const fact = new Y.XmlElement("countryFact");
    fact.setAttribute("blockId", "f-marked");
    fact.setAttribute("country", "KZ");
    fact.setAttribute("label", "Marked figure");
    fact.setAttribute("portionMark", "CONFIDENTIAL");
    body(client.doc).push([fact]);
    const badge = owner.locator('.block-fact [data-portion-badge="(C)"]');
    await badge.waitFor();
    expect(await badge.innerText()).toBe("(C)");
  });
});
