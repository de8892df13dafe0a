import type { Page } from "playwright-core";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_TEAM_ID } from "../../server/seed/demo";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser, get, loginAs } from "../helpers/http";
import { body, connectClient, destroyAllClients, eventually, readBody } from "../helpers/yclient";

/**
 * Opening a briefing from a team search hit: the editor scrolls to the matched block (below the
 * sticky toolbar) and highlights the matched word with a decoration, without changing the document.
 */

const run = browserAvailable();
// Far down the briefing and nowhere in the seed; searched for without the dotless ı (ADR 0203).
const WORD = "Kızılırmak";
const QUERY = "Kizilirmak";
const FILLER = 70;
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

describe.skipIf(!run)("a search hit opens the briefing at the hit", () => {
  const env = useServerAndBrowser();
  afterEach(() => destroyAllClients());

  it("scrolls the matched block below the toolbar and highlights the word, leaving the document as it was", async () => {
    const ownerCookie = await loginAs(env.server.url, "owner");
    // Make the seeded briefing long, with the word only far down (and more text after it).
    const writer = await connectClient(env.server.url, await loginAs(env.server.url, "editor"));
    const filler = Array.from({ length: FILLER }, (_, i) => paragraph(`Background note ${i + 1}: logistics, protocol and press arrangements for the visit.`));
    const fragment = body(writer.doc);
    const after = Array.from({ length: 30 }, (_, i) => paragraph(`Annex line ${i + 1}: seating, interpreters and motorcade timings.`));
    const hit = paragraph(`Water sharing on the ${WORD} basin is raised by the Turkish side.`);
    writer.doc.transact(() => fragment.insert(fragment.length, [...filler, hit, ...after]));
    // Indexed once the document settles (PROJECTION_DEBOUNCE_MS).
    await eventually(async () => {
      const html = await (await get(env.server.url, `/teams/${DEMO_TEAM_ID}/search?q=${QUERY}`, ownerCookie)).text();
      // The snippet may show the folded spelling the index appends (ADR 0203): look for the hit itself.
      expect(html).toContain('class="search-results"');
    }, 15_000);
    writer.destroy();
    const before = await readBody(env.server.url, ownerCookie);

    const ctx = await signedInContext(env.browser, env.server.url, demoUser("owner").email);
    const page: Page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`/teams/${DEMO_TEAM_ID}/search`);
    await page.getByRole("searchbox").fill(QUERY);
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator(".search-results a").first().click();
    await page.waitForURL((url) => url.pathname === "/briefings/ankara-summit");
    expect(new URL(page.url()).searchParams.get("q")).toBe(QUERY);

    // The word is marked by a decoration element inside the paragraph that holds it.
    const mark = page.locator(".ProseMirror .search-hit");
    await mark.first().waitFor();
    expect(await mark.count()).toBe(1);
    expect(await mark.first().innerText()).toBe(WORD);

    // That block is in the viewport, not hidden under the sticky toolbar.
    const block = page.locator(".ProseMirror p", { hasText: WORD });
    await eventually(async () => {
      const box = (await block.boundingBox())!;
      const bar = (await page.locator(".editor-topbar").boundingBox())!;
      const viewport = page.viewportSize()!;
      expect(box.y).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
      // Scrolled to the hit, not merely somewhere that happens to show it: it sits near the top.
      expect(box.y).toBeLessThan(bar.y + bar.height + 80);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    }, 10_000);
    // Nothing else covers the word (the toolbar would, if it were underneath).
    const onTop = await mark.first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!hit && el.contains(hit);
    });
    expect(onTop).toBe(true);
    await page.screenshot({ path: `${SHOTS}/search-hit.png` });

    // A click in the text clears the highlight.
    await page.locator(".ProseMirror p").first().click();
    await eventually(async () => expect(await mark.count()).toBe(0));

    // The highlight was never part of the document: the server's copy is unchanged.
    expect(await readBody(env.server.url, ownerCookie)).toBe(before);
    expect(before).not.toContain("search-hit");
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
