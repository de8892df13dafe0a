import { finalizeCleared, toReview } from "../helpers/review";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import mammoth from "mammoth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { documentJSON } from "../../server/export/document-json";
import { buildExportModel, modelTexts } from "../../server/export/model";
import { get, postForm, loginAll } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { body, connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";
import { KAZAKH, TURKISH } from "./fixtures";
import { flat } from "./pdf-tools";

const BRIEFING = "ankara-summit";
const DOCX = `/briefings/${BRIEFING}/export.docx`;
const MD = `/briefings/${BRIEFING}/export.md`;

// One dialect's server at a time: each dialect's describe below starts its own and stops it before the next.
let env: DialectServer;
let server: TestServer;
const cookies: Record<string, string> = {};


function quoteElement(blockId: string, lang: string, text: string, speaker: string): Y.XmlElement {
  const el = new Y.XmlElement("quote");
  const attrs = { blockId, lang, speaker, speakerRole: "President", country: lang === "kk" ? "KZ" : "TR", date: "2025-11-03", source: "https://akorda.kz/en", translation: "A common future." };
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const t = new Y.XmlText();
  t.insert(0, text);
  el.insert(0, [t]);
  return el;
}

/** Every string of the brief's body as the exports see it (the shared model), from a fresh client. */
async function bodyTexts(client?: YClient): Promise<string[]> {
  const c = client ?? (await connectClient(server.url, cookies.owner));
  const model = buildExportModel(documentJSON(c.doc), {
    title: "",
    summitName: "",
    city: "",
    startDate: "",
    endDate: "",
    classification: "",
    status: "draft",
    team: "",
    exportedAt: new Date(),
    staleMonths: 12,
  });
  const texts = [...modelTexts(model)].filter((x) => !x.where.startsWith("briefing ")).map((x) => x.text.trim());
  return [...new Set(texts.filter(Boolean))];
}

async function fetchDocx(cookie: string, query = ""): Promise<{ res: Response; zip: JSZip; bytes: Buffer }> {
  const res = await get(server.url, `${DOCX}${query}`, cookie);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, zip: await JSZip.loadAsync(bytes) };
}

const part = (zip: JSZip, name: string) => zip.file(name)!.async("string");
/** The text of a WordprocessingML part, runs joined, paragraphs on their own lines. */
const xmlText = (xml: string) =>
  xml
    .replace(/<\/w:p>/g, "\n")
    .replace(/<w:instrText[^>]*>[^<]*<\/w:instrText>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`Word and Markdown export over HTTP on ${dialect.name}`, { timeout: 180_000 }, () => {
    beforeAll(async () => {
      env = await dialect.start({ env: { PDF_WORKERS: "1" } });
      server = env.server;
      Object.assign(cookies, await loginAll(server.url));
      // Turkish and Kazakh quotes, added the way the editor adds blocks: as Yjs elements over the socket.
      const editor = await connectClient(server.url, cookies.editor);
      editor.doc.transact(() => {
        const fragment = body(editor.doc);
        fragment.insert(1, [quoteElement("q-kk-1", "kk", KAZAKH, "Kassym-Jomart Tokayev"), quoteElement("q-tr-1", "tr", TURKISH, "Hakan Fidan")]);
      });
      const reader = await connectClient(server.url, cookies.owner);
      await eventually(() => expect(body(reader.doc).toString()).toContain(KAZAKH), 10_000);
    }, 180_000);
    afterEach(() => destroyAllClients());
    afterAll(async () => {
      await env?.close();
    });

    describe("who may export Word and Markdown", () => {
      it("sends an anonymous caller to sign in, like the PDF", async () => {
        for (const url of [DOCX, MD]) {
          const res = await get(server.url, url);
          expect(res.status).toBe(302);
          expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(url)}`);
        }
      });

      it("answers 404 for an unknown briefing or version, 403 outside the team, 400 for a malformed version", async () => {
        const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider-docx@example.test", password: "long-enough-pw" });
        const outsider = signup.headers.get("set-cookie")!.split(";")[0];
        for (const ext of ["docx", "md"]) {
          const url = `/briefings/${BRIEFING}/export.${ext}`;
          expect((await get(server.url, `/briefings/no-such-briefing/export.${ext}`, cookies.owner)).status).toBe(404);
          const foreign = await get(server.url, url, outsider);
          expect(foreign.status).toBe(403);
          expect(await foreign.text()).toContain("not a member");
          expect((await get(server.url, `${url}?version=abc`, cookies.viewer)).status).toBe(400);
          const unknown = await get(server.url, `${url}?version=99`, cookies.viewer);
          expect(unknown.status).toBe(404);
          expect(await unknown.text()).toContain("Version 99");
        }
      });
    });

    describe("GET /briefings/:id/export.docx", () => {
      it(
        "gives a viewer a Word draft with Word styles, contents field, languages, markings and page fields",
        async () => {
          const { res, zip, bytes } = await fetchDocx(cookies.viewer);
          expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="kazakhstan-turkiye-presidential-summit-ankara-draft-\d{4}-\d{2}-\d{2}\.docx"$/);
          const doc = await part(zip, "word/document.xml");
          const styles = await part(zip, "word/styles.xml");

          // Real heading styles, and the agenda topics numbered in them.
          expect(doc).toContain('<w:pStyle w:val="Heading1"/>');
          expect(doc).toContain('<w:pStyle w:val="Heading2"/>');
          expect(styles).toMatch(/<w:style w:type="paragraph" w:styleId="Heading1">/);
          expect(styles).toContain('w:ascii="Noto Sans"');
          // The PDF's fonts travel inside the file, in all four faces.
          const fontTable = await part(zip, "word/fontTable.xml");
          for (const face of ["embedRegular", "embedBold", "embedItalic", "embedBoldItalic"]) expect(fontTable).toContain(`<w:${face} `);
          expect(Object.keys(zip.files).filter((f) => f.startsWith("word/fonts/"))).toHaveLength(4);
          expect(xmlText(doc)).toMatch(/\n1\. [^\n]+\nPriority (high|medium|low) · Status (proposed|agreed|contested)/);
          // A contents field Word can update.
          expect(doc).toMatch(/<w:instrText[^>]*>TOC \\h \\o &quot;1-3&quot;<\/w:instrText>/);

          // The quoted words carry their language; the Turkish and Kazakh come out exactly.
          const kk = new RegExp(`<w:lang w:val="kk-KZ"/>(?:(?!</w:r>).)*<w:t[^>]*>${KAZAKH}</w:t>`);
          const tr = new RegExp(`<w:lang w:val="tr-TR"/>(?:(?!</w:r>).)*<w:t[^>]*>${TURKISH.replace("'", "(?:'|&apos;)")}</w:t>`);
          expect(doc).toMatch(kk);
          expect(doc).toMatch(tr);
          expect(styles).toContain('<w:lang w:val="en-GB"/>');
          expect(xmlText(doc)).toContain("— Kassym-Jomart Tokayev, President, Kazakhstan, 3 November 2025, https://akorda.kz/en");

          // Classification and DRAFT on every page (the section's one header and footer), page X of Y.
          const header = await part(zip, "word/header1.xml");
          const footer = await part(zip, "word/footer1.xml");
          expect(xmlText(header)).toContain("DRAFT · RESTRICTED");
          expect(xmlText(footer)).toContain("RESTRICTED");
          expect(footer).toMatch(/>PAGE<\/w:instrText>/);
          expect(footer).toMatch(/>NUMPAGES<\/w:instrText>/);
          expect(xmlText(footer)).toContain("Draft · not for distribution · Page");

          // Country facts as tables, with as-of dates and stale marks.
          expect(doc).toContain("<w:tbl>");
          expect(xmlText(doc)).toMatch(/AS OF/);

          // Read back by another Word reader: every string of the brief's body is there, unchanged.
          const { value: imported } = await mammoth.extractRawText({ buffer: bytes });
          const texts = await bodyTexts();
          expect(texts.length).toBeGreaterThan(20);
          const missing = texts.filter((t) => !imported.includes(t));
          expect(missing).toEqual([]);
        },
        60_000,
      );

      it(
        "opens in LibreOffice: the PDF it makes has the text, the markings and page numbers",
        async () => {
          const { bytes } = await fetchDocx(cookies.commenter);
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-docx-lo-"));
          try {
            const file = path.join(dir, "brief.docx");
            fs.writeFileSync(file, bytes);
            // A private profile: a shared one is locked by any other soffice running on the machine.
            execFileSync(
              "soffice",
              [`-env:UserInstallation=file://${path.join(dir, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file],
              { stdio: "ignore", timeout: 150_000 },
            );
            const pdf = path.join(dir, "brief.pdf");
            const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
            const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))?.[1]);
            expect(pages).toBeGreaterThan(2);
            // Drawn in the embedded Noto Sans (the machine has none installed), not a substitute.
            const fonts = execFileSync("pdffonts", [pdf], { encoding: "utf8" });
            expect(fonts).toMatch(/NotoSans-Regular/);
            expect(fonts).toMatch(/NotoSans-Bold/);
            expect(text).toContain(KAZAKH);
            expect(text).toContain(TURKISH);
            expect(flat(text)).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
            expect(text).toContain(`Page 1 of ${pages}`);
            expect(text).toContain(`Page ${pages} of ${pages}`);
            // The marking on every page, in the header and again in the footer.
            expect(text.split("DRAFT · RESTRICTED").length - 1).toBeGreaterThanOrEqual(2 * pages);
            if (process.env.SD_KEEP_EXPORTS) {
              execFileSync("pdftoppm", ["-r", "60", "-png", pdf, path.join(process.env.SD_KEEP_EXPORTS, "docx-page")]);
            }
          } finally {
            fs.rmSync(dir, { recursive: true, force: true });
          }
        },
        180_000,
      );
    });

    describe("GET /briefings/:id/export.md", () => {
      it("gives a member Markdown whose text reads back exactly, special characters escaped", async () => {
        const tricky = "Agreed *not yet* [final] # <b>x</b> & 1. _under_ `tick` | pipe \\ back ~~ ";
        const editor = await connectClient(server.url, cookies.editor);
        editor.doc.transact(() => {
          const p = new Y.XmlElement("paragraph");
          const t = new Y.XmlText();
          t.insert(0, "# 2. - not a heading, a number or a list");
          p.insert(0, [t]);
          const q = new Y.XmlElement("paragraph");
          const u = new Y.XmlText();
          u.insert(0, tricky.trim());
          q.insert(0, [u]);
          body(editor.doc).insert(1, [p, q]);
        });
        await eventually(async () => expect(await (await get(server.url, MD, cookies.viewer)).text()).toContain("pipe"), 10_000);

        const res = await get(server.url, MD, cookies.commenter);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
        expect(res.headers.get("content-disposition")).toMatch(/-draft-\d{4}-\d{2}-\d{2}\.md"$/);
        const md = await res.text();
        expect(md).toContain("\\*not yet\\* \\[final\\]");
        expect(md).toContain("\\# 2. - not a heading");
        expect(md).toMatch(/^# Kazakhstan–Türkiye presidential summit, Ankara$/m);
        expect(md).toMatch(/^\*\*RESTRICTED\*\*$/m);
        expect(md).toContain("**DRAFT — not for distribution**");
        expect(md).toMatch(/^#+ 1\. .+$/m);
        expect(md).toMatch(/^\| Indicator \| Value \| As of \| Source \|$/m);
        expect(md).toMatch(/^> — \*\*Kassym-Jomart Tokayev\*\*, President, Kazakhstan, 3 November 2025, \[https:\/\/akorda\.kz\/en\]\(https:\/\/akorda\.kz\/en\)$/m);

        // Parsed by a CommonMark reader, every text of the body comes back unchanged.
        const { fromMarkdown } = await import("mdast-util-from-markdown");
        const tree = fromMarkdown(md);
        const parts: string[] = [];
        const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
          if (node.type === "text" || node.type === "inlineCode") parts.push(node.value ?? "");
          else if (node.type === "break") parts.push("\n");
          for (const c of (node.children ?? []) as (typeof node)[]) walk(c);
          if (node.type === "paragraph" || node.type === "heading") parts.push("\n");
        };
        walk(tree as never);
        const read = parts.join("");
        expect(read).toContain(tricky.trim());
        expect(read).toContain("# 2. - not a heading, a number or a list");
        // No line of ours became a heading or a list.
        expect(tree.children.filter((n) => n.type === "list" && JSON.stringify(n).includes("not a heading"))).toEqual([]);
        const texts = await bodyTexts(editor);
        const missing = texts.filter((t) => !read.includes(t));
        expect(missing).toEqual([]);
      }, 60_000);
    });

    describe("exports of a final version", () => {
      it("carry the version and content hash, no DRAFT marking, for every version asked for", async () => {
        expect((await postForm(server.url, `/briefings/${BRIEFING}/status`, cookies.editor, toReview())).status).toBe(200);
        const fin = await finalizeCleared(server.url, BRIEFING, cookies.editor, cookies.commenter);
        expect(await fin.json()).toMatchObject({ ok: true, version: 1 });
        const [{ content_hash: hash }] = await env.sql<{ content_hash: string }>("select content_hash from briefing_versions where briefing_id = ? and version = 1", [BRIEFING]);

        for (const query of ["", "?version=1"]) {
          const { res, zip } = await fetchDocx(cookies.viewer, query);
          expect(res.headers.get("content-disposition")).toContain("-v1.docx");
          const header = xmlText(await part(zip, "word/header1.xml"));
          const footer = xmlText(await part(zip, "word/footer1.xml"));
          const doc = xmlText(await part(zip, "word/document.xml"));
          expect(header).toContain("RESTRICTED");
          expect(header + footer + doc).not.toContain("DRAFT");
          expect(footer).toContain(`Final version 1 · sha256 ${hash.slice(0, 12)}`);
          expect(doc).toContain(`Content hash (sha256): ${hash}`);

          const md = await (await get(server.url, `${MD}${query}`, cookies.viewer)).text();
          expect(md).toContain(`Content hash (sha256): ${hash}`);
          expect(md).toContain("Final version 1");
          expect(md).not.toContain("DRAFT");
        }
        expect((await get(server.url, `${DOCX}?version=2`, cookies.viewer)).status).toBe(404);
      }, 60_000);
    });
  });
}
