import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { agendaTitles, openDemoBriefing, openSuggestionStates, suggestionsInlineOn, suggestTitle, suggestWording, titleCard, wordingCard, type TopicSuggestions } from "../helpers/suggestion-page";

/**
 * Suggestions follow a moved agenda topic, in real browsers: Dana (commenter) suggests a new title
 * and new wording in topic 2; Emre (editor) moves topic 2 up. Yjs writes the move as a delete and
 * an insert, yet on both pages the suggestions stay inline on the moved topic (none detached), and
 * the one Emre accepts changes the text on both pages.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/suggestions-move-shots";
const TOPIC = "Counter-terrorism and organised crime";
const PHRASE = "Propose a working group";
const S: TopicSuggestions = { topic: TOPIC, title: "Counter-terrorism", phrase: PHRASE, wording: "Set up a joint task force" };

describe.skipIf(!run)("suggestions on a moved agenda topic", () => {
  const env = useServerAndBrowser();

  it("a title and a wording suggested in topic 2 stay inline on both pages when the editor moves the topic up, and accepting one changes the text everywhere", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    const pageErrors: string[] = [];
    for (const p of [dana, emre]) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    await Promise.all([openDemoBriefing(dana), openDemoBriefing(emre)]);
    expect((await agendaTitles(emre)).slice(0, 2)).toEqual(["Regional security", TOPIC]);

    // Dana suggests a new title for topic 2 and new wording in its draft position.
    await suggestTitle(dana, 2, TOPIC, S.title);
    await suggestWording(dana, PHRASE, S.wording);
    const textCard = (p: Page) => wordingCard(p, PHRASE, S.wording);
    await Promise.all([titleCard(emre, TOPIC, S.title).waitFor(), textCard(emre).waitFor()]);

    // The server has them on the moved topic too: a fresh read lists neither as gone.
    const bothOnTheServer = () =>
      expect.poll(() => openSuggestionStates(emreContext.request), { timeout: 15_000 }).toEqual([
        { gone: false, outdated: false },
        { gone: false, outdated: false },
      ]);

    await emre.getByRole("button", { name: "Move topic 2 up" }).click();
    for (const p of [emre, dana]) await suggestionsInlineOn(p, 1, S);
    await bothOnTheServer();
    // The moved topic's header (and the suggested title above it) below the sticky toolbar, its cards beside it.
    await emre.locator(".ProseMirror .block-agenda").first().evaluate((el) => {
      const bar = document.querySelector(".editor-topbar")?.getBoundingClientRect().bottom ?? 0;
      window.scrollBy(0, el.getBoundingClientRect().top - bar - 48);
    });
    await emre.screenshot({ path: `${SHOTS}/suggestions-after-move.png` });

    // And back down. Which of the two topics y-tiptap writes anew depends on the move (ADR 0502):
    // one of these two moves recreates topic 2's element and its text.
    await emre.getByRole("button", { name: "Move topic 1 down" }).click();
    for (const p of [emre, dana]) await suggestionsInlineOn(p, 2, S);
    await bothOnTheServer();

    await textCard(emre).getByRole("button", { name: "Accept", exact: true }).click();
    for (const p of [emre, dana]) {
      await p.waitForFunction(() => document.querySelector(".ProseMirror")?.textContent?.includes("Set up a joint task force of the two interior and foreign ministries"), undefined, { timeout: 30_000 });
      await textCard(p).waitFor({ state: "detached" });
      await titleCard(p, TOPIC, S.title).waitFor();
    }
    await expect(dana.locator(".ProseMirror").textContent()).resolves.not.toContain(PHRASE);

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 180_000);
});
