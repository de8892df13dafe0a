import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { selectPhrase } from "../helpers/select-phrase";

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

async function openBriefing(page: Page) {
  page.setDefaultTimeout(30_000);
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 60_000 });
  await page.locator('.comments-panel[data-connection="live"]').waitFor({ timeout: 60_000 });
}

/** Titles of the agenda topics as the page shows them, in order. */
const titles = (p: Page) => p.locator(".agenda-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

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
    await Promise.all([openBriefing(dana), openBriefing(emre)]);
    expect((await titles(emre)).slice(0, 2)).toEqual(["Regional security", TOPIC]);

    // Dana suggests a new title for topic 2 …
    await dana.getByRole("button", { name: "Suggest a title for topic 2" }).click();
    const box = dana.getByRole("article", { name: "New title suggestion" });
    await box.getByText(`Topic title: “${TOPIC}”`).waitFor();
    await dana.waitForFunction(() => document.activeElement?.closest('[aria-label="New title suggestion"]') !== null);
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("Counter-terrorism");
    await dana.keyboard.press("Enter");
    const titleCard = (p: Page) => p.locator(".comments-margin .suggestion-card", { hasText: `Rename topic “${TOPIC}” to “Counter-terrorism”` });
    await titleCard(dana).waitFor();
    // … and new wording in its draft position.
    await selectPhrase(dana, PHRASE);
    await dana.getByRole("button", { name: "Suggest edit" }).click();
    await dana.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
    await dana.keyboard.press("Control+A");
    await dana.keyboard.type("Set up a joint task force");
    await dana.keyboard.press("Enter");
    const textCard = (p: Page) => p.locator(".comments-margin .suggestion-card", { hasText: `Replace “${PHRASE}” with “Set up a joint task force”` });
    await textCard(dana).waitFor();
    await Promise.all([titleCard(emre).waitFor(), textCard(emre).waitFor()]);

    /** On page `p`: both inline on the topic, which is topic `number` now, their cards in the margin, nothing detached. */
    const inlineOn = async (p: Page, number: number) => {
      await p.waitForFunction(({ i, topic }) => (document.querySelectorAll(".agenda-title")[i] as HTMLInputElement | undefined)?.value === topic, { i: number - 1, topic: TOPIC });
      await expect.poll(() => p.locator(".ProseMirror .block-agenda").nth(number - 1).getByTestId("agenda-number").textContent(), { timeout: 15_000 }).toBe(String(number));
      await p.waitForFunction(
        ({ topic, phrase }) => {
          const block = Array.from(document.querySelectorAll(".ProseMirror .block-agenda")).find((b) => (b.querySelector(".agenda-title") as HTMLInputElement | null)?.value === topic);
          const titled = block?.closest(".has-title-suggestion") ?? block?.querySelector(".has-title-suggestion");
          const struck = Array.from(block?.querySelectorAll(".suggestion-delete") ?? [], (e) => e.textContent).join("");
          return titled?.getAttribute("data-suggested-title") === "Counter-terrorism" && struck === phrase && !!block?.querySelector(".suggestion-insert");
        },
        { topic: TOPIC, phrase: PHRASE },
        { timeout: 30_000 },
      );
      await titleCard(p).waitFor();
      await textCard(p).waitFor();
      await expect(p.getByRole("region", { name: "Detached suggestions" }).count()).resolves.toBe(0);
    };
    // The server has them on the moved topic too: a fresh read lists neither as gone.
    const listed = async () => {
      const res = await emreContext.request.get("/briefings/ankara-summit/suggestions", { headers: { Accept: "application/json" } });
      const { suggestions } = (await res.json()) as { suggestions: { status: string; gone: boolean; outdated: boolean }[] };
      return suggestions.filter((s) => s.status === "open").map((s) => ({ gone: s.gone, outdated: s.outdated }));
    };
    const bothOnTheServer = () =>
      expect.poll(listed, { timeout: 15_000 }).toEqual([
        { gone: false, outdated: false },
        { gone: false, outdated: false },
      ]);

    await emre.getByRole("button", { name: "Move topic 2 up" }).click();
    for (const p of [emre, dana]) await inlineOn(p, 1);
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
    for (const p of [emre, dana]) await inlineOn(p, 2);
    await bothOnTheServer();

    await textCard(emre).getByRole("button", { name: "Accept", exact: true }).click();
    for (const p of [emre, dana]) {
      await p.waitForFunction(() => document.querySelector(".ProseMirror")?.textContent?.includes("Set up a joint task force of the two interior and foreign ministries"), undefined, { timeout: 30_000 });
      await textCard(p).waitFor({ state: "detached" });
      await titleCard(p).waitFor();
    }
    await expect(dana.locator(".ProseMirror").textContent()).resolves.not.toContain(PHRASE);

    expect(pageErrors).toEqual([]);
    await danaContext.close();
    await emreContext.close();
  }, 180_000);
});
