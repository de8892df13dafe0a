import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";

/**
 * Comments in two real browsers: Dana (commenter) comments on a phrase and mentions Emre; Emre
 * (editor) sees the thread arrive live, edits the text around it, and resolves it; Dana cannot.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";
const PHRASE = "meeting of presidents";

/** Drags the mouse across `phrase` in the editor, as a person selecting it would. */
async function selectPhrase(page: Page, phrase: string) {
  // The sidebar may still be scrolling a card into view (smooth scroll): wait until the text stands still.
  let box = await phraseBox(page, phrase);
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(100);
    const again = await phraseBox(page, phrase);
    if (again.x1 === box.x1 && again.y1 === box.y1 && again.x2 === box.x2 && again.y2 === box.y2) break;
    box = again;
  }
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, box.y2, { steps: 4 });
  await page.mouse.move(box.x2, box.y2, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((needle) => window.getSelection()?.toString() === needle, phrase);
}

/** Where `phrase` is on screen, after scrolling it to the middle of the window. */
function phraseBox(page: Page, phrase: string) {
  return page.evaluate((needle) => {
    const root = document.querySelector(".ProseMirror")!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(needle);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + needle.length);
      const rect = range.getBoundingClientRect();
      if (rect.top < 80 || rect.bottom > window.innerHeight - 80) range.startContainer.parentElement!.scrollIntoView({ block: "center" });
      const rects = range.getClientRects();
      const first = rects[0];
      const last = rects[rects.length - 1];
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
    }
    throw new Error(`"${needle}" not on the page`);
  }, phrase);
}

async function openBriefing(page: Page) {
  await page.goto("/briefings/ankara-summit");
  try {
    // The first load also fills the browser's local copy (IndexedDB): allow for a busy machine.
    await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
  } catch (err) {
    await page.screenshot({ path: `${SHOTS}/comments-load-failure.png` });
    throw err;
  }
  await page.locator(".comments-panel").getByRole("heading", { name: /Comments/ }).waitFor();
  // Text from the local copy can show before the socket is up; what others see (carets, comments)
  // needs the live connection, so wait for the server to confirm the document.
  await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 30_000 });
}

describe.skipIf(!run)("comments in the browser", () => {
  const env = useServerAndBrowser();

  it("a commenter's thread appears live for the editor, follows edits, and only the editor resolves it", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    dana.setDefaultTimeout(10_000);
    emre.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    for (const p of [dana, emre]) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await Promise.all([openBriefing(dana), openBriefing(emre)]);

    // Dana selects the phrase and comments, mentioning Emre through the autocomplete.
    await selectPhrase(dana, PHRASE);
    await dana.getByRole("button", { name: "Comment", exact: true }).click();
    const box = dana.getByRole("textbox", { name: "Add a comment…" });
    await box.waitFor();
    await box.pressSequentially("Should we name both presidents here? @Em");
    await dana.getByRole("listbox", { name: "Mention a team member" }).getByRole("option", { name: /Emre Yıldız/ }).click();
    await box.pressSequentially("can you check? <b>not bold</b>");
    await dana.locator(".comment-composer").getByRole("button", { name: "Comment" }).click();

    const danaCard = dana.locator(".thread-card", { hasText: "Should we name both presidents here?" });
    await danaCard.waitFor();
    await expect(danaCard.locator(".mention-chip").textContent()).resolves.toBe("@Emre Yıldız");
    // Plain text: the markup is shown, not interpreted.
    await expect(danaCard.locator(".comment-body").textContent()).resolves.toContain("<b>not bold</b>");
    await expect(dana.locator(".comment-highlight").first().textContent()).resolves.toBe(PHRASE);

    // Emre sees it without reloading, highlighted on the same words.
    const emreCard = emre.locator(".thread-card", { hasText: "Should we name both presidents here?" });
    await emreCard.waitFor({ timeout: 10_000 });
    await expect(emre.locator(".comment-highlight").first().textContent()).resolves.toBe(PHRASE);

    // Emre types right before the phrase and inside it: the highlight follows the text in both browsers.
    await emre.locator(".comment-highlight").first().click({ position: { x: 2, y: 5 } });
    await emre.keyboard.press("Home");
    await emre.keyboard.type("Early ");
    await emre.waitForFunction(() => document.querySelector(".comment-highlight")?.textContent === "meeting of presidents");
    await dana.waitForFunction(() => document.querySelector(".ProseMirror")?.textContent?.includes("Early "));
    await expect(dana.locator(".comment-highlight").first().textContent()).resolves.toBe(PHRASE);

    // Clicking the highlighted text focuses the thread.
    await dana.locator(".comment-highlight").first().click();
    await expect(danaCard.getAttribute("class")).resolves.toContain("is-active");
    await dana.screenshot({ path: `${SHOTS}/comments-commenter.png` });

    // Emre replies; Dana sees the reply live.
    await emreCard.click();
    await emreCard.getByRole("textbox", { name: "Reply…" }).fill("Yes, both names go in the final version.");
    await emreCard.getByRole("button", { name: "Reply" }).click();
    await danaCard.getByText("Yes, both names go in the final version.").waitFor();
    await emre.screenshot({ path: `${SHOTS}/comments-editor.png` });

    // Dana has no Resolve button, and the server refuses her anyway.
    await expect(danaCard.getByRole("button", { name: "Resolve" }).count()).resolves.toBe(0);
    const threadId = await danaCard.getAttribute("data-thread-id");
    const refused = await danaContext.request.post(`/briefings/ankara-summit/comments/${threadId}`, {
      form: { intent: "resolve" },
      headers: { Origin: env.server.url },
    });
    expect(refused.status()).toBe(403);

    // Emre resolves: the thread leaves both sidebars, and "Show resolved" brings it back.
    await emreCard.getByRole("button", { name: "Resolve" }).click();
    await danaCard.waitFor({ state: "detached" });
    await emreCard.waitFor({ state: "detached" });
    await dana.getByLabel(/Show resolved/).check();
    await danaCard.getByText("Resolved by Emre Yıldız").waitFor();
    await dana.screenshot({ path: `${SHOTS}/comments-resolved.png` });

    // Emre finds Dana's mention on his Mentions page and follows it back to the (now resolved) thread.
    await emre.goto("/mentions");
    const mention = emre.locator(".mention-item", { hasText: "Should we name both presidents here?" });
    await mention.waitFor();
    await expect(mention.textContent()).resolves.toContain("@Emre Yıldız can you check?");
    await emre.screenshot({ path: `${SHOTS}/mentions.png` });
    await mention.getByRole("link", { name: "Kazakhstan–Türkiye presidential summit, Ankara" }).click();
    await emre.locator(".thread-card.is-active", { hasText: "Should we name both presidents here?" }).waitFor({ timeout: 30_000 });
    await expect(emre.getByLabel(/Show resolved/).isChecked()).resolves.toBe(true);

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 120_000);

  it("threads stay on their text when an editor moves agenda topics, and a detached thread can be attached again", async () => {
    const context = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const emre = await context.newPage();
    emre.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    emre.on("pageerror", (e) => pageErrors.push(e.message));
    emre.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    await openBriefing(emre);

    const comment = async (phrase: string, text: string) => {
      await selectPhrase(emre, phrase);
      await emre.getByRole("button", { name: "Comment", exact: true }).click();
      await emre.getByRole("textbox", { name: "Add a comment…" }).fill(text);
      await emre.locator(".comment-composer").getByRole("button", { name: "Comment" }).click();
      // The posted thread (it may arrive over the live stream a moment before the answer to the
      // POST closes the draft, so both show that moment), then the draft box gone.
      await emre.locator(".thread-card[data-thread-id]", { hasText: text }).waitFor();
      await emre.locator(".thread-card.is-draft").waitFor({ state: "detached" });
    };
    const inTopic = "working group of the two interior"; // topic 2, Counter-terrorism
    const inMoved = "increasing trade volume"; // topic 3, Trade volume
    await comment(inTopic, "Which ministries exactly?");
    await comment(inMoved, "Do we have a number?");

    const highlights = () => emre.locator(".comment-highlight").allTextContents();
    const stored = async () => {
      const res = await context.request.get("/briefings/ankara-summit/comments", { headers: { Accept: "application/json" } });
      const { threads } = (await res.json()) as { threads: { quotedText: string; detached: boolean; comments: { body: string }[] }[] };
      return Object.fromEntries(threads.map((t) => [t.comments[0].body, { quoted: t.quotedText, detached: t.detached }]));
    };
    const titles = () => emre.locator(".agenda-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect((await titles()).slice(0, 3)).toEqual(["Regional security", "Counter-terrorism and organised crime", "Trade volume"]);

    // Trade volume moves up, before Counter-terrorism: it becomes topic 2 and both threads keep their text.
    await emre.getByRole("button", { name: "Move topic 3 up" }).click();
    await emre.waitForFunction(() => (document.querySelectorAll(".agenda-title")[1] as HTMLInputElement).value === "Trade volume");
    await expect(emre.locator(".block-agenda").nth(1).getByTestId("agenda-number").textContent()).resolves.toBe("2");
    await emre.waitForFunction((phrases) => {
      const shown = Array.from(document.querySelectorAll(".comment-highlight"), (e) => e.textContent);
      return phrases.every((p) => shown.includes(p));
    }, [inTopic, inMoved]);
    expect(await emre.locator(".comments-detached").count()).toBe(0);
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({
      "Which ministries exactly?": { quoted: inTopic, detached: false },
      "Do we have a number?": { quoted: inMoved, detached: false },
    });

    // And back down again, twice in a row.
    await emre.getByRole("button", { name: "Move topic 2 down" }).click();
    await emre.waitForFunction(() => (document.querySelectorAll(".agenda-title")[2] as HTMLInputElement).value === "Trade volume");
    await emre.getByRole("button", { name: "Move topic 3 down" }).click();
    await emre.waitForFunction(() => (document.querySelectorAll(".agenda-title")[3] as HTMLInputElement).value === "Trade volume");
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({
      "Which ministries exactly?": { quoted: inTopic, detached: false },
      "Do we have a number?": { quoted: inMoved, detached: false },
    });

    // After a reload the threads are still where the text is.
    await emre.reload();
    await openBriefing(emre);
    await emre.waitForFunction((phrases) => {
      const shown = Array.from(document.querySelectorAll(".comment-highlight"), (e) => e.textContent);
      return phrases.every((p) => shown.includes(p));
    }, [inTopic, inMoved]);
    expect(await highlights()).toHaveLength(2);
    await emre.screenshot({ path: `${SHOTS}/comments-after-move.png` });

    // Deleting the text detaches the thread; attaching it to a new selection brings it back.
    await selectPhrase(emre, inMoved);
    await emre.keyboard.press("Backspace");
    const detached = emre.locator(".comments-detached .thread-card", { hasText: "Do we have a number?" });
    await detached.waitFor();
    await expect(detached.getByRole("button", { name: "Attach to selection" }).isDisabled()).resolves.toBe(true);
    await selectPhrase(emre, "Economic cooperation");
    await detached.getByRole("button", { name: "Attach to selection" }).click();
    await emre.locator(".comment-highlight", { hasText: "Economic cooperation" }).waitFor();
    expect(await emre.locator(".comments-detached").count()).toBe(0);
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({ "Do we have a number?": { quoted: "Economic cooperation", detached: false } });

    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it("asks before moving a topic someone else is typing in", async () => {
    const aigerimContext = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const aigerim = await aigerimContext.newPage();
    const emre = await emreContext.newPage();
    await Promise.all([openBriefing(aigerim), openBriefing(emre)]);
    const titles = () => emre.locator(".agenda-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const before = await titles();
    const cultural = before.indexOf("Cultural ties");

    // Aigerim puts her caret in the Cultural ties topic; Emre's editor sees her caret there.
    await aigerim.locator(".ProseMirror").getByText("Improving cultural ties was among the topics discussed.").click();
    // Only a focused editor shares its caret: make sure the click landed before looking for it.
    await aigerim.waitForFunction(() => !!document.activeElement?.closest(".ProseMirror") && (window.getSelection()?.anchorNode?.textContent ?? "").includes("Improving cultural ties"));
    await emre.waitForFunction(() => {
      const label = Array.from(document.querySelectorAll(".collab-caret-label")).find((l) => l.textContent === "Aigerim Nurpeisova");
      return (label?.closest(".block-agenda")?.querySelector(".agenda-title") as HTMLInputElement | null)?.value === "Cultural ties";
    });

    const dialogs: string[] = [];
    let dismissed: Promise<void> | null = null;
    emre.once("dialog", (d) => {
      dialogs.push(d.message());
      dismissed = d.dismiss();
    });
    await emre.getByRole("button", { name: `Move topic ${cultural + 1} up` }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain("Aigerim Nurpeisova is typing in the topics this move rearranges");
    await dismissed;
    // The click handler dispatches the move (if any) as soon as the dialog returns; by the second
    // frame the page has drawn it.
    await emre.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await titles()).toEqual(before); // declined: nothing moved

    // Once she is elsewhere, the move goes ahead without asking.
    await aigerim.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).click();
    await emre.waitForFunction(() => {
      const label = Array.from(document.querySelectorAll(".collab-caret-label")).find((l) => l.textContent === "Aigerim Nurpeisova");
      return label !== undefined && label.closest(".block-agenda") === null;
    });
    emre.once("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await emre.getByRole("button", { name: `Move topic ${cultural + 1} up` }).click();
    await emre.waitForFunction((i) => (document.querySelectorAll(".agenda-title")[i] as HTMLInputElement).value === "Cultural ties", cultural - 1);
    expect(dialogs).toHaveLength(1);
    await aigerim.waitForFunction((i) => (document.querySelectorAll(".agenda-title")[i] as HTMLInputElement).value === "Cultural ties", cultural - 1);

    await aigerimContext.close();
    await emreContext.close();
  }, 120_000);
});
