import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { startTestServer, tempDir, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";
import { pdfPages, pdfText } from "./pdf-tools";
import { NAMES, nameFiller, SHORT_END_CLOSING, SHORT_END_PARAGRAPHS, shortEndFiller } from "./print-fixtures";

/** Print quality of the PDF through the real export: names never hyphenated, no near-empty last page. */

const EXPORT = "/briefings/ankara-summit/export.pdf";
const SHOTS = process.env.SCREENSHOT_DIR ?? tempDir("sd-print-");
let server: TestServer;
let owner: string;
let editor: string;

beforeAll(async () => {
  server = await startTestServer({ env: { PDF_WORKERS: "1" } });
  owner = await loginAs(server.url, "owner");
  editor = await loginAs(server.url, "editor");
});
afterEach(() => destroyAllClients());
afterAll(async () => {
  if (process.env.DUMP_LOGS) console.log(JSON.stringify(server.logs.filter((l) => l.level !== "info" && l.level !== "debug").slice(-10)));
  await server?.stop();
});

async function exportPdf(): Promise<Buffer> {
  const res = await get(server.url, EXPORT, owner);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Each page as `pdftotext -layout` prints it, and as PNGs in SHOTS for a person to look at. */
function pages(pdf: Buffer, name: string): string[] {
  const file = path.join(SHOTS, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-r", "60", "-png", file, path.join(SHOTS, name)]);
  return Array.from({ length: pdfPages(pdf) }, (_, i) => execFileSync("pdftotext", ["-layout", "-f", String(i + 1), "-l", String(i + 1), file, "-"], { encoding: "utf8" }));
}

/** Words broken at a line end with a hyphen (Typst prints a soft hyphen, U+00AD) whose halves make a name. */
function brokenNames(text: string, names: readonly string[]): string[] {
  const wanted = new Set(names.map((n) => n.toLocaleLowerCase("tr")));
  const out: string[] = [];
  for (const m of text.matchAll(/(\p{L}+)[-\u00ad]\s*\n\s*(\p{L}+)/gu)) {
    const word = m[1] + m[2];
    if (wanted.has(word.toLocaleLowerCase("tr"))) out.push(`${m[1]}-|${m[2]}`);
  }
  return out;
}

/** Lines of body text on a page: not the classification header, the footer or the DRAFT watermark. */
function bodyLines(page: string): string[] {
  return page
    .split("\n")
    .filter((l) => l.trim() !== "")
    .filter((l) => l.trim() !== "RESTRICTED" && !/Page \d+ of \d+/.test(l) && !/^\s*([A-Z]\s*){1,3}$/.test(l));
}

/** Replaces the briefing's body with these paragraphs and waits until the export shows the last one. */
async function writeBody(paragraphs: string[]): Promise<Buffer> {
  const writer = await connectClient(server.url, editor);
  const fragment = body(writer.doc);
  writer.doc.transact(() => {
    fragment.delete(0, fragment.length);
    fragment.insert(
      0,
      paragraphs.map((t) => {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(t)]);
        return p;
      }),
    );
  });
  const last = paragraphs[paragraphs.length - 1];
  let pdf: Buffer = Buffer.alloc(0);
  await eventually(async () => {
    pdf = await exportPdf();
    expect(pdfText(pdf).replace(/\s+/g, " ")).toContain(last.slice(-20));
  }, 20_000, 200);
  writer.destroy();
  return pdf;
}

describe("print quality of the PDF", () => {
  it("never hyphenates a name in the seeded demo briefing", async () => {
    const text = pages(await exportPdf(), "demo").join("\n");
    expect(text).toContain("Çavuşoğlu");
    expect(brokenNames(text, [...NAMES, "Mevlüt", "Mukhtar", "Türkiye", "Kazakhstan", "Istanbul", "Antalya"])).toEqual([]);
  });

  it("never hyphenates a name that falls at a line's end", async () => {
    const text = pages(await writeBody(nameFiller()), "names").join("\n");
    // The filler puts names at line ends; a hyphenating layout breaks some of them (e.g. "Tleu-berdi").
    expect(brokenNames(text, NAMES)).toEqual([]);
    // Other words still hyphenate: justification is not bought by turning hyphenation off.
    expect(text).toMatch(/\p{L}\u00ad\s*\n/u);
  });

  it("does not end on a last page holding only a line or two", async () => {
    const paragraphs = [...Array.from({ length: SHORT_END_PARAGRAPHS }, (_, i) => shortEndFiller(i + 1)), SHORT_END_CLOSING];
    const all = pages(await writeBody(paragraphs), "short-end");
    const last = bodyLines(all[all.length - 1]);
    expect(last.join("\n")).toContain(SHORT_END_CLOSING);
    expect(last.length).toBeGreaterThan(3);
    // Nothing was lost by moving text: every paragraph is in the PDF once.
    const flat = all.join("\n").replace(/\s+/g, " ");
    for (let i = 1; i <= SHORT_END_PARAGRAPHS; i++) expect(flat).toContain(`Filler paragraph ${i}:`);
  });
});
