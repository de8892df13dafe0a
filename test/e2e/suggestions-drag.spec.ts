import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { dragTopicAbove } from "../helpers/agenda-drag";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { commentOn, shownHighlight, storedThreads } from "../helpers/comment-page";
import { agendaTitles, openDemoBriefing, storedSuggestions, suggestionsInlineOn, suggestTitle, suggestWording, titleCard, wordingCard, type TopicSuggestions } from "../helpers/suggestion-page";

/**
 * Suggestions and a comment thread follow an agenda topic dragged with the mouse, in real browsers:
 * Dana (commenter) suggests a new title and new wording in topic 2 and comments on a phrase in it;
 * Emre (editor) drags topic 2 above topic 1 by its drag handle. ProseMirror drops it as a delete
 * and an insert, and y-tiptap writes that into Yjs, yet on both pages the suggestions stay inline on
 * the moved topic and the highlight on its phrase; Emre's decisions reach both pages and survive a reload.
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/suggestions-drag-shots";
const TOPIC = "Counter-terrorism and organised crime";
const FIRST = "Regional security";
const S: TopicSuggestions = { topic: TOPIC, title: "Counter-terrorism", phrase: "Propose a working group", wording: "Set up a joint task force" };
const COMMENTED = "combating terrorism and organized crime";
const NOTE = "Which groups do we name here?";
const ACCEPTED = "Set up a joint task force of the two interior and foreign ministries";

/**
 * Scrolls page `p` so that agenda topic `i` (0-based) and the title suggested above it sit just below
 * the sticky toolbar, again on each poll until the page stops moving it (a reloaded page still lays out).
 */
const scrollToTopic = (p: Page, i: number) =>
  p.waitForFunction(
    (n) => {
      const el = document.querySelectorAll(".ProseMirror .block-agenda")[n];
      const bar = document.querySelector(".editor-topbar")?.getBoundingClientRect().bottom ?? 0;
      const off = el ? el.getBoundingClientRect().top - bar - 48 : 0;
      if (Math.abs(off) < 2) return true;
      window.scrollBy(0, off);
      return false;
    },
    i,
    { polling: 100 },
  );

describe.skipIf(!run)("suggestions and a thread on a dragged agenda topic", () => {
  const env = useServerAndBrowser();

  it("stay on topic 2 on both pages when the editor drags it above topic 1, and his accept and reject show on both pages and after a reload", async () => {
    const danaContext = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const emreContext = await signedInContext(env.browser, env.server.url, "emre@demo.summitdesk.test");
    const dana = await danaContext.newPage();
    const emre = await emreContext.newPage();
    const pages = [emre, dana];
    const pageErrors: string[] = [];
    for (const p of pages) {
      p.on("pageerror", (e) => pageErrors.push(e.message));
      p.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
    }
    // What Emre's page re-anchors after a move because its Yjs anchor did not come through (ADR 0502).
    const reanchored = new Set<string>();
    emre.on("request", (r) => {
      if (r.method() === "POST" && new URLSearchParams(r.postData() ?? "").get("intent") === "reanchor") reanchored.add(new URL(r.url()).pathname.split("/").pop()!);
    });
    await Promise.all(pages.map(openDemoBriefing));
    expect((await agendaTitles(emre)).slice(0, 2)).toEqual([FIRST, TOPIC]);

    await suggestTitle(dana, 2, TOPIC, S.title);
    await suggestWording(dana, S.phrase, S.wording);
    const threadId = await commentOn(dana, COMMENTED, NOTE);
    for (const p of pages) {
      await Promise.all([titleCard(p, TOPIC, S.title).waitFor(), wordingCard(p, S.phrase, S.wording).waitFor(), p.locator(".thread-card", { hasText: NOTE }).waitFor()]);
      await expect.poll(() => shownHighlight(p, threadId), { timeout: 15_000 }).toEqual({ text: COMMENTED, topic: TOPIC });
    }
    const suggestionIds = (await storedSuggestions(emreContext.request)).map((s) => s.id);
    expect(suggestionIds).toHaveLength(2);

    /** On page `p`: the first two topics in `order`, ours carrying both suggestions inline and the highlight on its phrase; nothing detached or outdated. */
    const stillOnTheTopic = async (p: Page, order: string[]) => {
      await expect.poll(async () => (await agendaTitles(p)).slice(0, 2), { timeout: 30_000 }).toEqual(order);
      await suggestionsInlineOn(p, order.indexOf(TOPIC) + 1, S);
      await expect.poll(() => shownHighlight(p, threadId), { timeout: 30_000 }).toEqual({ text: COMMENTED, topic: TOPIC });
      await expect.poll(() => p.locator(".comments-detached").count(), { timeout: 15_000 }).toBe(0);
      expect(await p.locator(".suggestion-card.is-outdated").count()).toBe(0);
    };
    /** A fresh read from the server lists nothing as gone, outdated or detached. */
    const onTheServer = async () => {
      await expect
        .poll(async () => (await storedSuggestions(emreContext.request)).map(({ status, gone, outdated }) => ({ status, gone, outdated })), { timeout: 15_000 })
        .toEqual([
          { status: "open", gone: false, outdated: false },
          { status: "open", gone: false, outdated: false },
        ]);
      await expect.poll(() => storedThreads(emreContext.request), { timeout: 15_000 }).toEqual({ [threadId]: { quoted: COMMENTED, detached: false } });
    };

    // A taller window than the default, so that topic 2's handle (below the suggested title) and the
    // top of topic 1 are on screen at once: the drag needs no scrolling on the way.
    await emre.setViewportSize({ width: 1280, height: 1100 });
    // Topic 2 above topic 1, back, and above again. Which topic y-tiptap writes anew depends on the
    // move (ADR 0502): one of these drags recreates topic 2 in Yjs, and only the re-anchoring of
    // what the drop carried keeps the suggestions and the thread on it.
    const orders = [
      [TOPIC, FIRST],
      [FIRST, TOPIC],
      [TOPIC, FIRST],
    ];
    for (const [i, order] of orders.entries()) {
      await dragTopicAbove(emre, 1, 0);
      for (const p of pages) await stillOnTheTopic(p, order);
      await onTheServer();
      if (i === 0) {
        for (const p of pages) await scrollToTopic(p, 0);
        await emre.screenshot({ path: `${SHOTS}/drag-editor.png` });
        await dana.screenshot({ path: `${SHOTS}/drag-commenter.png` });
      }
    }
    expect([...reanchored].sort()).toEqual([...suggestionIds, threadId].sort());

    // Emre accepts the new wording and rejects the new title.
    await wordingCard(emre, S.phrase, S.wording).getByRole("button", { name: "Accept", exact: true }).click();
    await titleCard(emre, TOPIC, S.title).getByRole("button", { name: "Reject", exact: true }).click();

    /** On page `p`: the accepted wording in the text, the title unchanged, no suggestion left, the highlight where it was. */
    const decided = async (p: Page) => {
      await p.waitForFunction((text) => document.querySelector(".ProseMirror")?.textContent?.includes(text), ACCEPTED, { timeout: 30_000 });
      await Promise.all([wordingCard(p, S.phrase, S.wording).waitFor({ state: "detached" }), titleCard(p, TOPIC, S.title).waitFor({ state: "detached" })]);
      await p.waitForFunction(() => !document.querySelector(".ProseMirror .suggestion-delete, .ProseMirror .suggestion-insert, .has-title-suggestion"), undefined, { timeout: 30_000 });
      expect((await agendaTitles(p)).slice(0, 2)).toEqual([TOPIC, FIRST]);
      await expect(p.locator(".ProseMirror").textContent()).resolves.not.toContain(S.phrase);
      await expect.poll(() => shownHighlight(p, threadId), { timeout: 15_000 }).toEqual({ text: COMMENTED, topic: TOPIC });
      expect(await p.locator(".comments-detached").count()).toBe(0);
    };
    for (const p of pages) await decided(p);
    await expect
      .poll(async () => (await storedSuggestions(emreContext.request)).map(({ kind, status }) => ({ kind, status })).sort((a, b) => a.kind.localeCompare(b.kind)), { timeout: 15_000 })
      .toEqual([
        { kind: "text", status: "accepted" },
        { kind: "topicTitle", status: "rejected" },
      ]);
    await scrollToTopic(dana, 0);
    await dana.screenshot({ path: `${SHOTS}/drag-decided-commenter.png` });

    // After a reload both pages show the same, from what the server stored.
    for (const p of pages) {
      await p.reload();
      await openDemoBriefing(p);
      await decided(p);
    }
    await expect.poll(() => storedThreads(emreContext.request), { timeout: 15_000 }).toEqual({ [threadId]: { quoted: COMMENTED, detached: false } });
    await scrollToTopic(emre, 0);
    await emre.screenshot({ path: `${SHOTS}/drag-reloaded-editor.png` });

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 240_000);
});
