import fs from "node:fs";
import type { JSONContent } from "@tiptap/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { demoUser, loginAs, postForm } from "../helpers/http";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";

/** Pasting Word's and Google Docs' clipboard HTML into the editor in real Chromium. */

const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/clipboard/${name}`, import.meta.url), "utf8");
const TEAM = "demo-kz-tr-desk";

const textOf = (node: JSONContent): string => (node.text ?? "") + (node.content ?? []).map(textOf).join("");
const marksOf = (nodes: JSONContent[], text: string) => nodes.find((n) => n.text === text)?.marks?.map((m) => m.type) ?? [];

describe.skipIf(!browserAvailable())("paste from Word and Google Docs", () => {
  const env = useServerAndBrowser();
  let context: BrowserContext;
  let page: Page;
  let cookie: string;

  beforeAll(async () => {
    context = await signedInContext(env.browser, env.server.url, demoUser("editor").email);
    cookie = await loginAs(env.server.url, "editor");
  });
  afterAll(async () => {
    destroyAllClients();
    await context?.close();
  });

  /** A new blank briefing open in the editor, the caret at its end; returns its id. */
  async function freshBriefing(title: string): Promise<string> {
    const res = await postForm(env.server.url, `/teams/${TEAM}?index`, cookie, {
      intent: "create",
      title,
      summitName: "Summit",
      city: "Astana",
      startDate: "2027-05-01",
      endDate: "2027-05-01",
      classification: "RESTRICTED",
    });
    const id = res.headers.get("location")!.replace("/briefings/", "");
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`/briefings/${id}`);
    await page.locator(".ProseMirror").getByText("Key figures").waitFor();
    return id;
  }

  /** Dispatches a paste event carrying `html` at the end of the document, as the browser would. */
  async function paste(html: string): Promise<JSONContent[]> {
    await page.evaluate((clip) => {
      const root = document.querySelector(".ProseMirror") as HTMLElement & { editor: { commands: { focus(at: string): void } } };
      root.editor.commands.focus("end");
      const data = new DataTransfer();
      data.setData("text/html", clip);
      data.setData("text/plain", "plain text fallback");
      root.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, html);
    return page.evaluate(() => {
      const root = document.querySelector(".ProseMirror") as HTMLElement & { editor: { getJSON(): { content: JSONContent[] } } };
      return root.editor.getJSON().content;
    });
  }

  it("keeps Word's headings, marks, links, lists and table rows, and drops styles, comments and deleted text", async () => {
    const id = await freshBriefing("Word paste");
    const blocks = await paste(fixture("word.html"));
    const at = blocks.findIndex((b) => b.type === "heading" && textOf(b) === "Energy corridor");
    expect(at).toBeGreaterThan(0);
    expect(blocks[at].attrs!.level).toBe(1);

    const para = blocks[at + 1];
    expect(textOf(para)).toBe("The delegation supports the corridor and asks for a timetable, as set out on the ministry's page with milestones.");
    expect(marksOf(para.content!, "supports")).toEqual(["bold"]);
    expect(marksOf(para.content!, "timetable")).toEqual(["italic"]);
    const link = para.content!.find((n) => n.marks?.some((m) => m.type === "link"))!;
    expect(link.text).toBe("the ministry's page");
    expect(link.marks!.find((m) => m.type === "link")!.attrs!.href).toBe("https://www.mfa.gov.kz/en/corridor");

    expect(blocks[at + 2]).toMatchObject({ type: "heading", attrs: { level: 2 } });
    expect(blocks[at + 3].type).toBe("bulletList");
    expect(blocks[at + 3].content!.map(textOf)).toEqual(["Visa facilitation", "Direct flights"]);
    expect(textOf(blocks[at + 4])).toBe("Indicator | Value");
    expect(textOf(blocks[at + 5])).toBe("Trade volume | $5 billion");

    const all = JSON.stringify(blocks);
    for (const gone of ["at some point", "[AN1]", "Internal: check", "Cambria", "mso-", "Mso", "plain text fallback"]) expect(all).not.toContain(gone);
    // Reached the server: a fresh client sees the pasted content.
    await eventually(async () => {
      const client = await connectClient(env.server.url, cookie, { briefingId: id });
      const text = body(client.doc).toString();
      client.destroy();
      expect(text).toContain("Energy corridor");
      expect(text).toContain("Trade volume | $5 billion");
      expect(text).not.toContain("at some point");
    }, 15_000, 200);
    await page.close();
  });

  it("keeps Google Docs' headings, marks, links, lists and table rows, without its bold wrapper", async () => {
    const id = await freshBriefing("Google paste");
    const blocks = await paste(fixture("google-docs.html"));
    const at = blocks.findIndex((b) => b.type === "heading" && textOf(b) === "Visa facilitation");
    expect(at).toBeGreaterThan(0);
    expect(blocks[at].attrs!.level).toBe(1);
    const para = blocks[at + 1];
    expect(textOf(para)).toBe("Both sides agreed to a working group; see the visa notice.");
    // The docs-internal-guid <b> does not make everything bold.
    expect(marksOf(para.content!, "Both sides ")).toEqual([]);
    expect(marksOf(para.content!, "agreed")).toEqual(["bold"]);
    expect(marksOf(para.content!, "working group")).toEqual(["italic"]);
    expect(para.content!.some((n) => n.marks?.some((m) => m.type === "link" && String(m.attrs!.href).startsWith("https://")))).toBe(true);
    const list = blocks.slice(at).find((b) => b.type === "orderedList")!;
    expect(list.content!.map(textOf)).toEqual(["Business travellers first", "Students next"]);
    const row = blocks.slice(at).find((b) => textOf(b) === "Visas issued | 12,400")!;
    expect(marksOf(row.content!, "Visas issued")).toEqual(["bold"]);
    expect(JSON.stringify(blocks)).not.toContain("docs-internal-guid");
    await eventually(async () => {
      const client = await connectClient(env.server.url, cookie, { briefingId: id });
      const text = body(client.doc).toString();
      client.destroy();
      expect(text).toContain("Business travellers first");
    }, 15_000, 200);
    await page.close();
  });
});
