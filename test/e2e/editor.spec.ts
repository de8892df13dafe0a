import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser, signedInContext } from "../helpers/browser";
import { caretAtEndOf } from "../helpers/editor-page";
import { demoUser, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

/**
 * The live editor in real Chromium against the real server: two people co-editing, the save
 * indicator, a read-only viewer, every block through the slash menu, and offline editing.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";
const OWNER = demoUser("owner");
const EDITOR = demoUser("editor");
const VIEWER = demoUser("viewer");

async function openBriefing(page: Page) {
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor();
}

const editorText = (page: Page) => page.locator(".ProseMirror").innerText();

/** Text of the first element matching `selector` without other people's caret widgets. */
const textWithoutCarets = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.textContent!.replace(/\u2060/g, "");
  });
const saveState = (page: Page) => page.getByTestId("save-status").getAttribute("data-state");

async function expectSaved(page: Page) {
  await eventually(async () => expect(await saveState(page)).toBe("saved"), 10_000);
  expect(await page.getByTestId("save-status").innerText()).toBe("Saved");
}

describe.skipIf(!run)("the briefing editor in the browser", () => {
  let server: TestServer;
  let browser: Browser;
  let ownerCtx: BrowserContext;
  let editorCtx: BrowserContext;
  let owner: Page;
  let editor: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    ownerCtx = await signedInContext(browser, server.url, OWNER.email);
    editorCtx = await signedInContext(browser, server.url, EDITOR.email);
    owner = await ownerCtx.newPage();
    editor = await editorCtx.newPage();
    for (const p of [owner, editor]) {
      p.setDefaultTimeout(10_000);
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await Promise.all([openBriefing(owner), openBriefing(editor)]);
  });
  afterEach(() => {
    destroyAllClients();
    expect(pageErrors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("two people type into the same briefing, see both texts, each other's named caret and 'Saved'", async () => {
    await expectSaved(owner);
    await caretAtEndOf(owner, "Prepare the delegation");
    await owner.keyboard.type(" Owner adds a line.");
    await caretAtEndOf(editor, "As geopolitical tensions");
    await editor.keyboard.type(" Editor adds a line.");

    for (const p of [owner, editor]) {
      await eventually(async () => {
        const text = await editorText(p);
        expect(text).toContain("Owner adds a line.");
        expect(text).toContain("Editor adds a line.");
      }, 10_000);
      // Each line landed whole where its caret was, also while the comments panel loaded alongside.
      const paragraphs = await p.locator(".ProseMirror p").allInnerTexts();
      expect(paragraphs.some((t) => t.includes("Prepare the delegation") && t.includes("Owner adds a line."))).toBe(true);
      expect(paragraphs.some((t) => t.includes("As geopolitical tensions") && t.includes("Editor adds a line."))).toBe(true);
    }
    // Each sees the other's caret, labelled with the name the server put in awareness.
    await owner.locator(".collab-caret-label", { hasText: EDITOR.name }).waitFor();
    await editor.locator(".collab-caret-label", { hasText: OWNER.name }).waitFor();
    // The label is a small tag, not a full-width line.
    const label = await owner.locator(".collab-caret-label", { hasText: EDITOR.name }).boundingBox();
    expect(label!.width).toBeLessThan(200);
    // A person has one colour in every view: their caret and avatar for the other, their own avatar.
    const caretColor = (p: Page, name: string) => p.locator(".collab-caret-label", { hasText: name }).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    const avatarColor = (p: Page, name: string) =>
      p.locator(".presence li", { hasText: name }).first().locator(".presence-avatar").evaluate((el) => getComputedStyle(el).backgroundColor);
    for (const [who, self, other] of [[OWNER.name, owner, editor], [EDITOR.name, editor, owner]] as const) {
      const own = await avatarColor(self, who);
      expect(await caretColor(other, who)).toBe(own);
      expect(await avatarColor(other, who)).toBe(own);
    }
    // Presence lists both people, "you" first.
    await owner.locator(".presence li", { hasText: EDITOR.name }).waitFor();
    expect(await owner.locator(".presence li").first().innerText()).toContain("(you)");

    await expectSaved(owner);
    await expectSaved(editor);
    // "Saved" means the server has it: a fresh client synced from the server sees both lines.
    const stored = body((await connectClient(server.url, await loginAs(server.url, "owner"))).doc).toString();
    expect(stored).toContain("Owner adds a line.");
    expect(stored).toContain("Editor adds a line.");

    await owner.screenshot({ path: `${SHOTS}/editor-coedit-owner.png` });
    await editor.screenshot({ path: `${SHOTS}/editor-coedit-editor.png` });
  });

  it("a viewer sees the text but cannot type, and the server refuses a viewer's update anyway", async () => {
    const viewerCtx = await signedInContext(browser, server.url, VIEWER.email);
    const viewer = await viewerCtx.newPage();
    await openBriefing(viewer);
    await viewer.getByTestId("read-only-banner").waitFor();
    expect(await viewer.locator(".ProseMirror").getAttribute("contenteditable")).toBe("false");
    expect(await viewer.getByRole("toolbar", { name: "Formatting" }).count()).toBe(0);
    await eventually(async () => expect(await editorText(viewer)).toContain("Owner adds a line."), 10_000);
    // Typing does nothing.
    await viewer.locator(".ProseMirror p").first().click();
    await viewer.keyboard.type("VIEWER WAS HERE");
    expect(await editorText(viewer)).not.toContain("VIEWER WAS HERE");
    // Attribute inputs in blocks are disabled too.
    expect(await viewer.locator(".block-agenda .agenda-title").first().isDisabled()).toBe(true);
    await viewer.screenshot({ path: `${SHOTS}/editor-viewer.png` });
    await viewerCtx.close();

    // A viewer who bypasses the UI: the server drops the update, the owner never sees it. The
    // owner's presence list is the marker: the rogue leaves it, sends its update, then rejoins it;
    // once the owner's page lists the viewer again, the update (sent before on the same socket)
    // would have reached that page first.
    const inPresence = owner.locator(".presence li", { hasText: VIEWER.name });
    const rogue = await connectClient(server.url, await loginAs(server.url, "viewer"));
    rogue.provider.awareness.setLocalState(null);
    await inPresence.waitFor({ state: "detached" });
    // Into a paragraph, where the owner's editor would show it.
    firstParagraph(rogue.doc).insert(0, "ROGUE VIEWER TEXT ");
    rogue.provider.awareness.setLocalState({});
    await inPresence.waitFor();
    expect(await editorText(owner)).not.toContain("ROGUE VIEWER TEXT");
  });

  it("inserts a quote, an agenda topic, a country fact and a library fact through the slash menu; the other window sees them", async () => {
    const topicsBefore = await editor.locator(".block-agenda").count();
    const factsBefore = await editor.locator(".block-fact").count();

    // Quote: "/quo" + Enter, then the words.
    await caretAtEndOf(owner, "Owner adds a line.");
    await owner.keyboard.press("Enter");
    await owner.keyboard.type("/quo");
    await owner.locator(".slash-menu").waitFor();
    await owner.screenshot({ path: `${SHOTS}/editor-slash-menu.png` });
    expect(await owner.locator('.slash-menu [aria-selected="true"]').getAttribute("data-command")).toBe("quote");
    await owner.keyboard.press("Enter");
    await owner.locator(".block-quote").first().waitFor();
    await owner.keyboard.type("We will deepen our strategic partnership.");
    await owner.getByLabel("Speaker").first().fill("Kassym-Jomart Tokayev");
    await eventually(async () => {
      const q = editor.locator(".block-quote", { hasText: "We will deepen our strategic partnership." });
      expect(await q.count()).toBe(1);
      expect(await q.locator(".quote-who").innerText()).toContain("Kassym-Jomart Tokayev");
      expect(await q.locator(".flag-missing").innerText()).toContain("source"); // speaker set, source still missing
    }, 10_000);

    // Agenda topic: arrows + Enter pick it from the filtered list; numbering follows document order.
    await caretAtEndOf(owner, "Owner adds a line.");
    await owner.keyboard.press("Enter");
    await owner.keyboard.type("/agen");
    await owner.locator('.slash-menu [data-command="agendaTopic"]').waitFor();
    await owner.keyboard.press("Enter");
    await eventually(async () => expect(await editor.locator(".block-agenda").count()).toBe(topicsBefore + 1), 10_000);
    const numbers = await editor.locator(".block-agenda [data-testid=agenda-number]").allInnerTexts();
    expect(numbers).toEqual(Array.from({ length: topicsBefore + 1 }, (_, i) => String(i + 1)));
    await owner.locator(".block-agenda .agenda-title").first().fill("Energy corridor");
    await eventually(async () => expect(await editor.locator(".block-agenda .agenda-title").first().inputValue()).toBe("Energy corridor"), 10_000);
    // The new topic is first in the document, so it is number 1 in the outline.
    await eventually(async () => expect(await editor.locator(".outline li").first().innerText()).toContain("Energy corridor"), 10_000);

    // Escape closes the menu and leaves the typed text alone.
    await caretAtEndOf(owner, "Owner adds a line.");
    await owner.keyboard.type(" /cou");
    await owner.locator(".slash-menu").waitFor();
    await owner.keyboard.press("Escape");
    expect(await owner.locator(".slash-menu").count()).toBe(0);
    for (let i = 0; i < 5; i++) await owner.keyboard.press("Backspace");

    // Country fact.
    await caretAtEndOf(owner, "Owner adds a line.");
    await owner.keyboard.press("Enter");
    await owner.keyboard.type("/country");
    await owner.locator('.slash-menu [data-command="countryFact"]').waitFor();
    await owner.keyboard.press("Enter");
    // The new fact opens with its form; the seeded ones are closed.
    const fact = owner.locator(".block-fact").filter({ has: owner.locator(".attr-grid") });
    await fact.waitFor();
    await fact.getByLabel("Label").fill("Bilateral trade");
    await fact.getByLabel("Value").fill("10");
    await fact.getByLabel("Unit").fill("billion USD");
    await eventually(async () => expect(await editor.locator(".block-fact", { hasText: "Bilateral trade" }).innerText()).toContain("10 billion USD"), 10_000);

    // Fact from the library: the picker inserts a linked fact that matches the library.
    await caretAtEndOf(owner, "Owner adds a line.");
    await owner.keyboard.press("Enter");
    await owner.keyboard.type("/library");
    await owner.locator('.slash-menu [data-command="libraryFact"]').waitFor();
    await owner.keyboard.press("Enter");
    const picker = owner.getByRole("dialog", { name: "Insert a fact from the library" });
    await picker.locator(".fact-option").first().waitFor();
    await owner.screenshot({ path: `${SHOTS}/editor-fact-picker.png` });
    const label = (await picker.locator(".fact-option-label").first().innerText()).split("·")[0].trim();
    await picker.locator(".fact-option").first().click();
    await eventually(async () => expect(await editor.locator(".block-fact").count()).toBe(factsBefore + 2), 10_000);
    const linked = owner.locator(".block-fact", { hasText: label }).filter({ has: owner.locator(".badge-ok") });
    expect(await linked.count()).toBeGreaterThan(0);

    await expectSaved(owner);
    await owner.locator(".block-quote", { hasText: "strategic partnership" }).scrollIntoViewIfNeeded();
    await owner.screenshot({ path: `${SHOTS}/editor-blocks.png` });
  });

  it("links accept only http, https and mailto; undo takes back only your own change", async () => {
    await caretAtEndOf(owner, "Owner adds a line.");
    await owner.keyboard.type(" See the agenda.");
    for (let i = 0; i < "agenda.".length; i++) await owner.keyboard.press("Shift+ArrowLeft");
    await owner.getByRole("button", { name: "Link", exact: true }).click();
    const address = owner.getByLabel("Link address");
    await address.fill("javascript:alert(1)");
    await owner.getByRole("button", { name: "Add link" }).click();
    await owner.getByText("Only http, https and mailto links are allowed.").waitFor();
    await address.fill("mfa.gov.kz/en");
    await owner.getByRole("button", { name: "Add link" }).click();
    await eventually(async () => expect(await textWithoutCarets(editor, '.ProseMirror a[href="https://mfa.gov.kz/en"]')).toBe("agenda."), 10_000);
    await owner.screenshot({ path: `${SHOTS}/editor-link.png` });

    // The editor types too; the owner's undo removes the owner's link, not the editor's words.
    await caretAtEndOf(editor, "Editor adds a line.");
    await editor.keyboard.type(" Kept.");
    await eventually(async () => expect(await editorText(owner)).toContain("Kept."), 10_000);
    await owner.getByRole("button", { name: "Undo" }).click();
    await eventually(async () => expect(await editor.locator('.ProseMirror a[href="https://mfa.gov.kz/en"]').count()).toBe(0), 10_000);
    expect(await editorText(editor)).toContain("Kept.");
  });

  it("offline: the indicator says so, edits are kept, and reach the other person on reconnect", async () => {
    await editorCtx.setOffline(true);
    await eventually(async () => expect(await saveState(editor)).toBe("offline"), 10_000);
    expect(await editor.getByTestId("save-status").innerText()).toBe("Offline — changes kept on this device");
    await caretAtEndOf(editor, "Kept.");
    await editor.keyboard.type(" Written while offline.");
    // No socket to send a marker through: the edit is in the editor's document, and its socket is
    // still closed ("offline" means not connected), so there is no way it could be on its way.
    await eventually(async () => expect(await editorText(editor)).toContain("Written while offline."), 10_000);
    expect(await saveState(editor)).toBe("offline");
    expect(await editorText(owner)).not.toContain("Written while offline.");
    await editor.screenshot({ path: `${SHOTS}/editor-offline.png` });

    await editorCtx.setOffline(false);
    await eventually(async () => expect(await editorText(owner)).toContain("Written while offline."), 15_000);
    await expectSaved(editor);
  });
});
