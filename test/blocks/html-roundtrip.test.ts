import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JSONContent } from "@tiptap/core";
import { browserAvailable, launchBrowser } from "../helpers/browser";

// renderHTML must be complete on its own and parseHTML must read it back (copy/paste, server HTML).
// Parsing HTML needs a real DOM, so the shared extensions run inside Chromium here.
const here = path.dirname(fileURLToPath(import.meta.url));

const doc: JSONContent = {
  type: "doc",
  content: [
    { type: "paragraph", attrs: { portionMark: "CONFIDENTIAL" }, content: [{ type: "text", text: "Қазақстан Республикасы and Türkiye" }] },
    {
      type: "agendaTopic",
      attrs: { blockId: "t-1", title: "Trade volume", priority: "high", status: "agreed", owner: "Emre Yıldız", ownerId: "demo-editor", portionMark: "SECRET" },
      content: [
        { type: "paragraph", attrs: { portionMark: "" }, content: [{ type: "text", text: "Our position: " }, { type: "text", marks: [{ type: "bold" }], text: "grow it" }] },
        {
          type: "quote",
          attrs: { blockId: "q-1", speaker: "Mukhtar Tleuberdi", speakerRole: "Foreign Minister of Kazakhstan", country: "KZ", date: "2026-05-12", source: "https://example.org/a?x=1&y=2", lang: "en", translation: "Түркия мен Қазақстанның ынтымақтастыққа зор әлеуеті бар", portionMark: "RESTRICTED" },
          content: [{ type: "text", text: "Turkey and Kazakhstan have great potential for cooperation" }],
        },
        { type: "countryFact", attrs: { blockId: "f-1", country: "TR", countryName: "Türkiye", label: "Foreign minister", value: "Mevlüt Çavuşoğlu", unit: "", asOf: "2026-05-12", source: "Article \"quoted\" <b>", libraryFactId: "lib-1", portionMark: "" } },
      ],
    },
  ],
};

describe.skipIf(!browserAvailable())("block HTML in a real browser", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [path.join(here, "fixtures/html-roundtrip-entry.ts")],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      logLevel: "silent",
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent("<!doctype html><html><head><meta charset=utf-8></head><body></body></html>");
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("parses its own rendered HTML back to the same document", async () => {
    const html = await page.evaluate((json) => window.blocks.toHTML(json), doc);
    expect(html).toContain('data-type="agenda-topic"');
    expect(html).toContain('data-type="quote"');
    expect(html).toContain('data-type="country-fact"');
    expect(html).toContain("&lt;b&gt;"); // attribute text is escaped, never markup
    const back = await page.evaluate((h) => window.blocks.fromHTML(h), html);
    expect(back).toEqual(doc);
  });

  it("sanitises hostile pasted HTML into safe attributes", async () => {
    const pasted = `<figure data-type="quote" data-block-id="x&quot; onclick=&quot;1" data-speaker="<img src=x onerror=alert(1)>"
        data-lang="javascript:" data-date="soon" data-country="Turkey" data-portion-mark="<b>SECRET</b>" onclick="alert(1)"><blockquote>Words <script>alert(1)</script></blockquote>
        <figcaption>— ignored caption</figcaption></figure>
      <section data-type="agenda-topic" data-priority="critical" data-status="agreed" data-portion-mark=" confidential "><header>Header is not content</header>
        <div data-agenda-topic-body><p>Body</p><section data-type="agenda-topic"><div data-agenda-topic-body><p>Nested</p></div></section></div></section>`;
    const json = await page.evaluate((h) => window.blocks.fromHTML(h), pasted);
    const [quote, topic] = json.content!;
    expect(quote.type).toBe("quote");
    expect(quote.attrs).toMatchObject({ blockId: "", speaker: "<img src=x onerror=alert(1)>", lang: "en", date: "", country: "", portionMark: "" });
    expect(quote.content).toEqual([{ type: "text", text: "Words" }]);
    expect(topic.type).toBe("agendaTopic");
    expect(topic.attrs).toMatchObject({ priority: "medium", status: "agreed", portionMark: "CONFIDENTIAL" });
    expect(JSON.stringify(topic)).not.toContain("Header is not content");
    // A topic pasted inside a topic is not nested: its content is kept, the wrapper is not.
    expect(JSON.stringify(topic.content)).not.toContain('"agendaTopic"');
    expect(JSON.stringify(json)).toContain("Nested");
  });
});
