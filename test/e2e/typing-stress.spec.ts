import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { caretAtEndOf, paragraphTexts } from "../helpers/editor-page";
import { loginAs, demoUser } from "../helpers/http";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";

/**
 * Two people type into different paragraphs for a sustained time while a third person keeps
 * joining and reloading. Every character must end up where its author's caret was: a co-writing
 * tool that moves someone's caret puts their words into someone else's paragraph.
 *
 * STRESS_SECONDS sets the typing time (default 10 s; 30 s with STRESS=1).
 */

const run = browserAvailable();
const SECONDS = Number(process.env.STRESS_SECONDS ?? (process.env.STRESS === "1" ? 30 : 10));
const OWNER_PARAGRAPH = "Prepare the delegation";
const EDITOR_PARAGRAPH = "As geopolitical tensions";

async function openBriefing(page: Page) {
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
}

/** Types numbered words until the deadline, one key at a time; returns exactly what was typed. */
async function typeUntil(page: Page, tag: string, deadline: number): Promise<string> {
  let typed = "";
  for (let i = 0; Date.now() < deadline; i++) {
    const word = ` ${tag}${i}`;
    await page.keyboard.type(word, { delay: 5 });
    typed += word;
  }
  return typed;
}

describe.skipIf(!run)("typing under load", () => {
  const env = useServerAndBrowser();

  it(`two people type into different paragraphs for ${SECONDS} s while a third reloads; every character stays where its author put it`, async () => {
    const { server, browser } = env;
    const errors: string[] = [];
    const pages = await Promise.all(
      (["owner", "editor", "commenter"] as const).map(async (role) => {
        const ctx = await signedInContext(browser, server.url, demoUser(role).email);
        const page = await ctx.newPage();
        page.setDefaultTimeout(30_000);
        page.on("pageerror", (e) => errors.push(`${role}: ${e.message}`));
        return page;
      }),
    );
    const [owner, editor, third] = pages;
    await Promise.all(pages.map(openBriefing));
    const before = await paragraphTexts(owner);
    const ownerIndex = before.findIndex((t) => t.includes(OWNER_PARAGRAPH));
    const editorIndex = before.findIndex((t) => t.includes(EDITOR_PARAGRAPH));
    expect(ownerIndex).toBeGreaterThanOrEqual(0);
    expect(editorIndex).toBeGreaterThanOrEqual(0);

    // Each caret is placed once; from here on only the keyboard moves it.
    await caretAtEndOf(owner, OWNER_PARAGRAPH);
    await caretAtEndOf(editor, EDITOR_PARAGRAPH);

    const deadline = Date.now() + SECONDS * 1000;
    let reloads = 0;
    const reloading = (async () => {
      while (Date.now() < deadline) {
        await third.reload();
        await third.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 30_000 });
        reloads++;
      }
    })();
    const [ownerTyped, editorTyped] = await Promise.all([typeUntil(owner, "own", deadline), typeUntil(editor, "edi", deadline), reloading]);
    expect(ownerTyped.length).toBeGreaterThan(20);
    expect(editorTyped.length).toBeGreaterThan(20);
    expect(reloads).toBeGreaterThan(0);

    const expected = before.slice();
    expected[ownerIndex] += ownerTyped;
    expected[editorIndex] += editorTyped;
    // Every view, and the server's copy, holds exactly that: each string whole, in order, in its
    // author's paragraph, and nothing anywhere else.
    for (const page of [owner, editor]) {
      await eventually(async () => expect(await paragraphTexts(page)).toEqual(expected), 20_000, 200);
    }
    // The reloading commenter's view too: its read-only editor never adds anything of its own.
    await eventually(async () => expect(await paragraphTexts(third)).toEqual(expected), 20_000, 200);
    const client = await connectClient(server.url, await loginAs(server.url, "owner"));
    const stored = body(client.doc).toString();
    expect(stored).toContain(ownerTyped);
    expect(stored).toContain(editorTyped);
    destroyAllClients();
    expect(errors).toEqual([]);
  }, 120_000 + SECONDS * 1000);
});
