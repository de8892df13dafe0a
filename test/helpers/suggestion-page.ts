import type { APIRequestContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { selectPhrase } from "./select-phrase";

/**
 * Page steps shared by the browser tests of suggestions on the demo briefing (the Ankara summit):
 * opening it live, suggesting a topic title or new wording as a commenter does, and checking that
 * both stay inline on their agenda topic.
 */

/** Opens the demo briefing and waits for its text and the live comments channel. */
export async function openDemoBriefing(page: Page): Promise<void> {
  page.setDefaultTimeout(30_000);
  await page.goto("/briefings/ankara-summit");
  await page.locator(".ProseMirror").getByText("Prepare the delegation", { exact: false }).waitFor({ timeout: 60_000 });
  await page.locator('.comments-panel[data-connection="live"]').waitFor({ timeout: 60_000 });
}

/** Titles of the agenda topics as the page shows them, in order. */
export const agendaTitles = (p: Page): Promise<string[]> => p.locator(".agenda-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

/** The margin card of the suggestion to rename `topic` to `title`. */
export const titleCard = (p: Page, topic: string, title: string): Locator => p.locator(".comments-margin .suggestion-card", { hasText: `Rename topic “${topic}” to “${title}”` });

/** The margin card of the suggestion to replace `phrase` with `wording`. */
export const wordingCard = (p: Page, phrase: string, wording: string): Locator => p.locator(".comments-margin .suggestion-card", { hasText: `Replace “${phrase}” with “${wording}”` });

/** With *Suggest title* on topic `number` (titled `topic`), suggests `title`; waits for its card. */
export async function suggestTitle(page: Page, number: number, topic: string, title: string): Promise<void> {
  await page.getByRole("button", { name: `Suggest a title for topic ${number}` }).click();
  const box = page.getByRole("article", { name: "New title suggestion" });
  await box.getByText(`Topic title: “${topic}”`).waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[aria-label="New title suggestion"]') !== null);
  await page.keyboard.press("Control+A");
  await page.keyboard.type(title);
  await page.keyboard.press("Enter");
  await titleCard(page, topic, title).waitFor();
}

/** Selects `phrase` and suggests `wording` in its place with *Suggest edit*; waits for its card. */
export async function suggestWording(page: Page, phrase: string, wording: string): Promise<void> {
  await selectPhrase(page, phrase);
  await page.getByRole("button", { name: "Suggest edit" }).click();
  await page.waitForFunction(() => document.activeElement?.classList.contains("suggestion-input"));
  await page.keyboard.press("Control+A");
  await page.keyboard.type(wording);
  await page.keyboard.press("Enter");
  await wordingCard(page, phrase, wording).waitFor();
}

export interface TopicSuggestions {
  /** The topic's title. */
  topic: string;
  /** The title suggested for it. */
  title: string;
  /** The phrase in it that a suggestion replaces … */
  phrase: string;
  /** … with this. */
  wording: string;
}

/**
 * On page `p`: the topic is topic `number`, its title suggestion and the struck-through phrase with
 * its replacement are inline on it, their cards in the margin, and no suggestion is listed as detached.
 */
export async function suggestionsInlineOn(p: Page, number: number, s: TopicSuggestions): Promise<void> {
  await p.waitForFunction(({ i, topic }) => (document.querySelectorAll(".agenda-title")[i] as HTMLInputElement | undefined)?.value === topic, { i: number - 1, topic: s.topic }, { timeout: 30_000 });
  await expect.poll(() => p.locator(".ProseMirror .block-agenda").nth(number - 1).getByTestId("agenda-number").textContent(), { timeout: 15_000 }).toBe(String(number));
  await p.waitForFunction(
    ({ topic, phrase, title }) => {
      const block = Array.from(document.querySelectorAll(".ProseMirror .block-agenda")).find((b) => (b.querySelector(".agenda-title") as HTMLInputElement | null)?.value === topic);
      const titled = block?.closest(".has-title-suggestion") ?? block?.querySelector(".has-title-suggestion");
      const struck = Array.from(block?.querySelectorAll(".suggestion-delete") ?? [], (e) => e.textContent).join("");
      return titled?.getAttribute("data-suggested-title") === title && struck === phrase && !!block?.querySelector(".suggestion-insert");
    },
    s,
    { timeout: 30_000 },
  );
  await titleCard(p, s.topic, s.title).waitFor();
  await wordingCard(p, s.phrase, s.wording).waitFor();
  await expect(p.getByRole("region", { name: "Detached suggestions" }).count()).resolves.toBe(0);
}

/** The open suggestions as the server lists them now: whether each is gone (detached) or outdated. */
export async function openSuggestionStates(request: APIRequestContext): Promise<{ gone: boolean; outdated: boolean }[]> {
  return (await storedSuggestions(request)).filter((s) => s.status === "open").map((s) => ({ gone: s.gone, outdated: s.outdated }));
}

/** Every suggestion as the server lists it now: what it suggests, its status, and whether it is gone (detached) or outdated. */
export async function storedSuggestions(request: APIRequestContext): Promise<StoredSuggestionState[]> {
  const res = await request.get("/briefings/ankara-summit/suggestions", { headers: { Accept: "application/json" } });
  const { suggestions } = (await res.json()) as { suggestions: StoredSuggestionState[] };
  return suggestions.map(({ id, kind, replacement, status, gone, outdated }) => ({ id, kind, replacement, status, gone, outdated }));
}

export interface StoredSuggestionState {
  id: string;
  kind: string;
  replacement: string;
  status: string;
  gone: boolean;
  outdated: boolean;
}
