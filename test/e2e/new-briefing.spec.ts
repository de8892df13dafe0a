import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser, loginAs, postForm } from "../helpers/http";
import { richDocx } from "../import/docx-fixtures";

/** The New briefing form in real Chromium: from a template and from a Word document, into the editor. */

const TEAM = "demo-kz-tr-desk";

describe.skipIf(!browserAvailable())("New briefing in the browser", () => {
  const env = useServerAndBrowser();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const cookie = await loginAs(env.server.url, "editor");
    expect((await postForm(env.server.url, `/teams/${TEAM}?index`, cookie, { intent: "template", briefingId: "ankara-summit" })).status).toBe(200);
    context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
  });

  async function fillDetails(title: string) {
    await page.goto(`/teams/${TEAM}`);
    const form = page.locator(".new-briefing");
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Summit").fill("Foreign ministers");
    await form.getByLabel("City").fill("Astana");
    await form.getByLabel("Starts").fill("2027-06-01");
    await form.getByLabel("Ends").fill("2027-06-02");
    return form;
  }

  it("starts a briefing from a template and opens it in the editor with the template's content", async () => {
    const form = await fillDetails("From the Ankara template");
    const option = form.getByLabel("Start from").locator("option", { hasText: "Template: " });
    await form.getByLabel("Start from").selectOption({ label: (await option.first().textContent())! });
    await form.getByRole("button", { name: "Create briefing" }).click();
    await page.waitForURL(/\/briefings\/(?!ankara-summit)[A-Za-z0-9_-]+$/);
    await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).first().waitFor();
    expect(await page.locator("h1").first().innerText()).toContain("From the Ankara template");
  });

  it("imports a Word document and opens it in the editor", async () => {
    const form = await fillDetails("Imported from Word");
    await form.getByLabel("Start from").selectOption("word");
    await form.getByLabel("Word document").setInputFiles({ name: "brief.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: await richDocx() });
    await form.getByRole("button", { name: "Create briefing" }).click();
    await page.waitForURL(/\/briefings\/[A-Za-z0-9_-]+$/);
    await page.locator(".ProseMirror h1", { hasText: "Purpose of the visit" }).waitFor();
    await page.locator(".ProseMirror figure[data-type='quote']", { hasText: "great potential for cooperation" }).waitFor();
  });

  it("shows why a file was refused on the form, keeping what was typed", async () => {
    const form = await fillDetails("Not a Word file");
    await form.getByLabel("Start from").selectOption("word");
    await form.getByLabel("Word document").setInputFiles({ name: "notes.docx", mimeType: "text/plain", buffer: Buffer.from("just notes") });
    await form.getByRole("button", { name: "Create briefing" }).click();
    await form.locator(".field-error", { hasText: "not a Word document" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/teams/${TEAM}`);
    expect(await form.getByLabel("Title").inputValue()).toBe("Not a Word file");
  });
});
