import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import type { JSONContent } from "@tiptap/core";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../db/store";
import { type DemoRole, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { withServerStore } from "../helpers/stores";
import { body, connectClient } from "../helpers/yclient";
import { externalDocx, longDocx, rewriteDocx, richDocx } from "./docx-fixtures";

const TEAM = "demo-kz-tr-desk";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/** Small enough that a test builds an over-the-limit part quickly; the default is 100 MB. */
const MAX_UNCOMPRESSED = 4 * 1024 * 1024;

let server: TestServer;
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  server = await startTestServer({ env: { IMPORT_MAX_UNCOMPRESSED_BYTES: String(MAX_UNCOMPRESSED) } });
  Object.assign(cookies, await loginAll(server.url));
});
afterAll(async () => {
  await server?.stop();
});

const details = {
  title: "Imported brief",
  summitName: "KZ–TR foreign ministers",
  city: "Astana",
  startDate: "2027-03-01",
  endDate: "2027-03-02",
  classification: "RESTRICTED",
};

/** Posts the New briefing form as the browser does (multipart, our Origin, the session cookie). */
function importDocx(file: Buffer | null, cookie = cookies.editor, name = "brief.docx", fields: Record<string, string> = details) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("start", "word");
  if (file) form.set("file", new Blob([new Uint8Array(file)], { type: DOCX }), name);
  return fetch(`${server.url}/teams/${TEAM}/new`, { method: "POST", headers: { Cookie: cookie, Origin: server.url }, body: form, redirect: "manual" });
}

function briefingCount(): Promise<number> {
  return withServerStore(server, async (store) => (await rows<{ n: number }>(store, sql`select cast(count(*) as integer) as "n" from briefings`))[0].n);
}

async function importedBody(res: Response): Promise<JSONContent> {
  expect(res.status).toBe(302);
  const id = res.headers.get("location")!.replace(/^\/briefings\//, "");
  const client = await connectClient(server.url, cookies.editor, { briefingId: id });
  try {
    return yXmlFragmentToProsemirrorJSON(body(client.doc));
  } finally {
    client.destroy();
  }
}

const textOf = (node: JSONContent): string => (node.text ?? "") + (node.content ?? []).map(textOf).join("");

describe("new briefing from a Word document", () => {
  it("keeps headings, paragraphs, marks, links, lists, tables (as rows) and Word's quote styles", async () => {
    const doc = await importedBody(await importDocx(await richDocx()));
    const blocks = doc.content!;
    expect(blocks[0]).toMatchObject({ type: "heading", attrs: { level: 1 } });
    expect(textOf(blocks[0])).toBe("Purpose of the visit");

    const para = blocks[1].content!;
    const marked = (type: string) => para.filter((n) => n.marks?.some((m) => m.type === type)).map((n) => n.text);
    expect(marked("bold")).toEqual(["up"]);
    expect(marked("italic")).toEqual(["steady"]);
    expect(marked("underline")).toEqual(["signed"]);
    const link = para.find((n) => n.marks?.some((m) => m.type === "link"))!;
    expect(link.text).toBe("the ministry's page");
    expect(link.marks!.find((m) => m.type === "link")!.attrs!.href).toBe("https://www.mfa.gov.tr/summit");

    expect(blocks[2]).toMatchObject({ type: "heading", attrs: { level: 2 } });
    expect(blocks[3].type).toBe("bulletList");
    expect(blocks[3].content!.map(textOf)).toEqual(["Energy corridor", "Visa facilitation"]);
    expect(blocks[4].type).toBe("orderedList");
    expect(blocks[4].content!.map(textOf)).toEqual(["Open the session", "Sign the memorandum"]);

    // No table node in the schema: one paragraph per row, header cells bold.
    expect(textOf(blocks[5])).toBe("Indicator | Value");
    expect(blocks[5].content!.find((n) => n.text === "Indicator")!.marks!.map((m) => m.type)).toEqual(["bold"]);
    expect(textOf(blocks[6])).toBe("Trade volume | $5 billion");

    expect(blocks[7]).toMatchObject({ type: "quote" });
    expect(textOf(blocks[7])).toBe("Turkey and Kazakhstan have great potential for cooperation.");
    expect(blocks[7].attrs!.blockId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(blocks[8]).toMatchObject({ type: "quote" });
    expect(blocks[8].attrs!.blockId).not.toBe(blocks[7].attrs!.blockId);
    expect(textOf(blocks[9])).toBe("Closing remark.");
  });

  it("never fetches linked images or external relationships, and ignores macros", async () => {
    let requests = 0;
    const trap = http.createServer((_req, res) => {
      requests += 1;
      res.end("GIF89a");
    });
    await new Promise<void>((r) => trap.listen(0, "127.0.0.1", () => r()));
    const port = (trap.address() as AddressInfo).port;
    try {
      const file = await externalDocx(`http://127.0.0.1:${port}/pixel.gif`, `http://127.0.0.1:${port}/template.dotm`);
      const doc = await importedBody(await importDocx(file));
      // The picture's paragraph held nothing else and is gone with it.
      expect(doc.content!.map(textOf)).toEqual(["After the picture.", "Before the picture."]);
      expect(JSON.stringify(doc)).not.toContain("127.0.0.1");
      expect(JSON.stringify(doc)).not.toContain("calc.exe");
      expect(requests).toBe(0);
    } finally {
      trap.close();
    }
  });

  it("imports a linked image pointing at a local file without reading it", async () => {
    const secret = "/etc/hostname";
    const doc = await importedBody(await importDocx(await externalDocx(`file://${secret}`, `file://${secret}`)));
    expect(doc.content!.map(textOf)).toEqual(["After the picture.", "Before the picture."]);
    expect(JSON.stringify(doc)).not.toContain("data:");
  });

  describe("refuses bad files with a message for the form, and creates nothing", () => {
    const cases: [string, () => Promise<Buffer | null>, number, RegExp][] = [
      ["no file", async () => null, 400, /Choose a Word document/],
      ["a text file", async () => Buffer.from("Minutes of the meeting\n"), 415, /not a Word document/],
      ["a zip without word/document.xml", emptyZip, 415, /not a Word document/],
      ["a password-protected document (OLE compound file)", async () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), crypto.randomBytes(4096)]), 422, /password-protected/],
      ["a truncated docx", async () => (await richDocx()).subarray(0, 2000), 415, /not a Word document/],
      ["a part that expands a thousandfold (zip bomb)", async () => rewriteDocx(await richDocx(), (zip) => void zip.file("word/media/fill.bin", Buffer.alloc(3 * 1024 * 1024))), 422, /expands \d+ times/],
      ["more uncompressed data than allowed", async () => rewriteDocx(await richDocx(), (zip) => void zip.file("word/media/noise.bin", crypto.randomBytes(MAX_UNCOMPRESSED + 1024)), "STORE"), 422, /expands to .* MB \(at most 4 MB\)/],
      ["a file over IMPORT_MAX_BYTES", async () => Buffer.concat([await richDocx(), Buffer.alloc(10 * 1024 * 1024)]), 413, /at most 10 MB can be imported/],
    ];
    it.each(cases)("%s", async (_name, make, status, message) => {
      const before = await briefingCount();
      const res = await importDocx(await make());
      expect(res.status).toBe(status);
      const data = (await res.json()) as { errors: { file: string[] } };
      expect(data.errors.file.join(" ")).toMatch(message);
      expect(await briefingCount()).toBe(before);
    });
  });

  it("answers a body far over the limit with 413 before reading it", async () => {
    const before = await briefingCount();
    const res = await importDocx(Buffer.alloc(12 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/too large/);
    expect(await briefingCount()).toBe(before);
  });

  it("checks the details before converting", async () => {
    const before = await briefingCount();
    const res = await importDocx(await richDocx(), cookies.editor, "brief.docx", { ...details, title: "" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors.title).toBeTruthy();
    expect(await briefingCount()).toBe(before);
  });

  it.each(["viewer", "commenter"] as const)("refuses a %s with 403", async (role) => {
    const before = await briefingCount();
    const res = await importDocx(await richDocx(), cookies[role]);
    expect(res.status).toBe(403);
    expect(await briefingCount()).toBe(before);
  });

  // How fast is measured by `npm run bench` (scenario 10), not here: a shared machine would make a
  // time limit in a test fail without the import being at fault.
  it("imports a long document (600 paragraphs, about 25 pages) whole", async () => {
    const file = await longDocx(600);
    const res = await importDocx(file);
    const doc = await importedBody(res);
    expect(doc.content!.filter((n) => n.type === "paragraph")).toHaveLength(600);
  });
});

async function emptyZip(): Promise<Buffer> {
  const { default: JSZip } = await import("jszip");
  const zip = new JSZip();
  zip.file("[Content_Types].xml", "<Types/>");
  zip.file("word/other.xml", "<x/>");
  return zip.generateAsync({ type: "nodebuffer" });
}
