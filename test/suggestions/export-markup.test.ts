import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, type YClient } from "../helpers/yclient";
import { spanAnchor, suggestionApi, topicTitleAnchor } from "./suggestion-api";

/**
 * Word and Markdown drafts carry open suggestions on request: Word as real tracked changes
 * (`w:del` / `w:ins` with the suggester's name and time), Markdown as CriticMarkup with the author.
 */

let server: TestServer;
let commenter: string;
let editor: string;
let client: YClient;
const made: SuggestionView[] = [];
beforeAll(async () => {
  server = await startTestServer();
  [commenter, editor] = await Promise.all([loginAs(server.url, "commenter"), loginAs(server.url, "editor")]);
  client = await connectClient(server.url, editor);
  const api = suggestionApi(server.url, commenter);
  for (const [needle, replacement] of [
    ["meeting of presidents", "summit of heads of state"],
    ["foreign ministers", ""],
  ] as const) {
    made.push((await json<{ suggestion: SuggestionView }>(await api.suggest(anchorFor(client.doc, needle), replacement), 201)).suggestion);
  }
  made.push((await json<{ suggestion: SuggestionView }>(await api.suggest(topicTitleAnchor(client.doc, "Trade volume"), "Trade and investment", "topicTitle"), 201)).suggestion);
  // Across two blocks: from the "Purpose" heading into its paragraph.
  made.push((await json<{ suggestion: SuggestionView }>(await api.suggest(spanAnchor(client.doc, "Purpose", "Prepare the"), "Aim: to prepare the"), 201)).suggestion);
}, 60_000);
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

const BASE = "/briefings/ankara-summit";

async function documentXml(query: string): Promise<string> {
  const res = await get(server.url, `${BASE}/export.docx${query}`, editor);
  expect(res.status).toBe(200);
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  return zip.file("word/document.xml")!.async("string");
}

async function markdown(query: string): Promise<string> {
  const res = await get(server.url, `${BASE}/export.md${query}`, editor);
  expect(res.status).toBe(200);
  return res.text();
}

/** Each tracked change of a Word body: kind, author, date and its text. */
function revisions(xml: string): { kind: "ins" | "del"; id: string; author: string; date: string; text: string }[] {
  const out = [];
  for (const m of xml.matchAll(/<w:(ins|del) ([^>]*)>([\s\S]*?)<\/w:\1>/g)) {
    const attr = (name: string) => new RegExp(`w:${name}="([^"]*)"`).exec(m[2])?.[1] ?? "";
    const text = [...m[3].matchAll(/<w:(?:t|delText)[^>]*>([^<]*)<\/w:(?:t|delText)>/g)].map((t) => t[1]).join("");
    out.push({ kind: m[1] as "ins" | "del", id: attr("id"), author: attr("author"), date: attr("date"), text });
  }
  return out;
}

describe("Word and Markdown with suggestion markup", () => {
  it("writes Word tracked changes with the suggester's name and time, and none by default", async () => {
    expect(revisions(await documentXml(""))).toEqual([]);
    const xml = await documentXml("?suggestions=markup");
    const changes = revisions(xml);
    const date = new Date(made[0].createdAt).toISOString().replace(/\.\d+Z$/, "Z");
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: "del", id: expect.any(String), author: "Dana Seitkali", date, text: "meeting of presidents" },
        { kind: "ins", id: expect.any(String), author: "Dana Seitkali", date, text: "summit of heads of state" },
        expect.objectContaining({ kind: "del", author: "Dana Seitkali", text: "foreign ministers" }),
        expect.objectContaining({ kind: "del", author: "Dana Seitkali", text: "Trade volume" }),
        expect.objectContaining({ kind: "ins", author: "Dana Seitkali", text: "Trade and investment" }),
      ]),
    );
    // Deleted words are Word's deleted text, not ordinary text; every revision has its own id.
    expect(xml).toMatch(/<w:del [^>]*>\s*<w:r>(?:<w:rPr>[\s\S]*?<\/w:rPr>)?<w:delText[^>]*>meeting of presidents<\/w:delText>/);
    expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
    // Across blocks: the heading's word and the paragraph's first words are deleted, the new words inserted.
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "del", text: "Purpose" }),
        expect.objectContaining({ kind: "del", text: "Prepare the" }),
        expect.objectContaining({ kind: "ins", text: "Aim: to prepare the" }),
      ]),
    );
    // The topic heading keeps its number outside the change.
    expect(xml).toContain("Trade volume</w:delText>");
  }, 60_000);

  it("writes Markdown CriticMarkup with the author, and the clean text by default", async () => {
    const clean = await markdown("");
    expect(clean).toContain("meeting of presidents");
    expect(clean).not.toMatch(/\{(~~|\+\+|--)/);

    const md = await markdown("?suggestions=markup");
    const critics = [...md.matchAll(/\{~~([^~]*)~>([^~]*)~~\}|\{--([\s\S]*?)--\}|\{\+\+([\s\S]*?)\+\+\}/g)].map((m) => ({ old: m[1] ?? m[3] ?? "", new: m[2] ?? m[4] ?? "", at: m.index! + m[0].length }));
    const comment = (at: number) => /^\{>>(.*?)<<\}/.exec(md.slice(at))?.[1] ?? null;
    const sub = critics.find((c) => c.old === "meeting of presidents");
    expect(sub).toMatchObject({ new: "summit of heads of state" });
    expect(comment(sub!.at)).toMatch(/^Dana Seitkali · \d{1,2} \w+ 20\d\d, \d\d:\d\d UTC$/);
    const deletion = critics.find((c) => c.old === "foreign ministers");
    expect(deletion).toMatchObject({ new: "" });
    expect(comment(deletion!.at)).toContain("Dana Seitkali");
    // Across blocks: the heading's text deleted, the paragraph's first words replaced.
    expect(md).toMatch(/^## \{--Purpose--\}\{>>Dana Seitkali · /m);
    expect(md).toMatch(/^\{~~Prepare the~>Aim: to prepare the~~\}\{>>Dana Seitkali · [^<]*<<\} delegation/m);
    // The topic title: a heading whose title is the substitution.
    expect(md).toMatch(/^#+ \d+\. \{~~Trade volume~>Trade and investment~~\}\{>>Dana Seitkali · /m);
  }, 60_000);

  it("refuses an unknown value with 400 for Word and Markdown", async () => {
    const res = await get(server.url, `${BASE}/export.md?suggestions=all`, editor);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("markup");
    expect((await get(server.url, `${BASE}/export.docx?suggestions=yes`, editor)).status).toBe(400);
  });
});
