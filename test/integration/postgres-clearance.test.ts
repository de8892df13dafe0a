import mammoth from "mammoth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { flat, pdfPages, pdfText } from "../export/pdf-tools";
import { createDemoBriefing, get, postForm, loginAll } from "../helpers/http";
import { awarenessMarker } from "../helpers/marker";
import { finalizeCleared, toReview } from "../helpers/review";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { body, connectClient, destroyAllClients, eventually, metricValue, readBody } from "../helpers/yclient";

/**
 * Final versions and clearance records through the real server, on SQLite and on PostgreSQL
 * (docs/decisions/0509): send for review naming an approver, approve, finalize; version 1 with its
 * clearance record on the versions page and in the PDF and Word exports of that version; edits over
 * the socket refused while final; reopen, edit, finalize again as version 2; two finalizes sent at
 * once record one version.
 */

const METRICS_TOKEN = "clearance-metrics-token";
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Server-rendered HTML without the comments React puts between adjacent text parts. */
const text = (html: string) => html.replace(/<!-- -->/g, "");

/** A paragraph of its own at the top of the body. */
function addParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  body(doc).insert(0, [paragraph]);
}

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`final versions and clearance records on ${dialect.name}`, { timeout: 240_000 }, () => {
    let env: DialectServer;
    let server: TestServer;
    const cookies: Record<string, string> = {};
    let briefingId: string;

    beforeAll(async () => {
      env = await dialect.start({ env: { PDF_WORKERS: "1", METRICS_TOKEN } });
      server = env.server;
      Object.assign(cookies, await loginAll(server.url));
      briefingId = await createDemoBriefing(server.url, cookies.editor);
    }, 240_000);
    afterEach(() => destroyAllClients());
    afterAll(async () => {
      await env?.close();
    });

    const status = (cookie: string, fields: Record<string, string>) => postForm(server.url, `/briefings/${briefingId}/status`, cookie, fields);
    const versions = async (id: string) =>
      (await env.sql<{ version: number }>("select version from briefing_versions where briefing_id = ? order by version", [id])).map((r) => r.version);
    const exportOf = (ext: string, query = "") => get(server.url, `/briefings/${briefingId}/export.${ext}${query}`, cookies.viewer);

    /**
     * Waits until no room is open, so the next connection's room is loaded with the briefing's
     * status from the database rather than told of it by the status change's event.
     */
    async function noOpenRoom(): Promise<void> {
      await eventually(async () => expect(await metricValue(server.url, METRICS_TOKEN, "summit_collab_rooms")).toBe(0), 20_000, 100);
    }

    async function typeAndStore(text: string): Promise<void> {
      const editor = await connectClient(server.url, cookies.editor, { briefingId });
      addParagraph(editor.doc, text);
      await eventually(async () => expect(await readBody(server.url, cookies.owner, briefingId)).toContain(text), 20_000, 100);
      editor.destroy();
    }

    async function pdfOf(query: string): Promise<{ all: string; last: string; name: string | null }> {
      const res = await exportOf("pdf", query);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const buf = Buffer.from(await res.arrayBuffer());
      return { all: flat(pdfText(buf)), last: flat(pdfText(buf, { page: pdfPages(buf) })), name: res.headers.get("content-disposition") };
    }

    it("finalizes a reviewed briefing as version 1, listed with its clearance record and exported to PDF and Word", async () => {
      await typeAndStore("Agreed wording for the joint statement.");
      expect((await status(cookies.editor, toReview())).status).toBe(200);
      const final = await finalizeCleared(server.url, briefingId, cookies.editor, cookies.commenter);
      expect(final.status).toBe(200);
      expect(await final.json()).toMatchObject({ ok: true, status: "final", version: 1 });
      expect(await versions(briefingId)).toEqual([1]);

      const page = await get(server.url, `/briefings/${briefingId}/versions`, cookies.viewer);
      expect(page.status).toBe(200);
      const html = text(await page.text());
      expect(html).toContain("Version 1");
      expect(html).toContain(`aria-label="Clearance record of version 1"`);
      expect(html).toContain("Finalized by Emre Yıldız");
      expect(html).toContain("Dana Seitkali");
      // The briefing page says who froze the text.
      const briefingPage = await get(server.url, `/briefings/${briefingId}`, cookies.viewer);
      expect(briefingPage.status).toBe(200);
      expect(text(await briefingPage.text())).toContain("Emre Yıldız");

      const pdf = await pdfOf("?version=1");
      expect(pdf.name).toContain("-v1.pdf");
      expect(pdf.all).toContain("Agreed wording for the joint statement.");
      expect(pdf.last).toContain("Clearance record");
      expect(pdf.last).toContain("Finalized by Emre Yıldız");
      expect(pdf.last).toContain("Dana Seitkali");
      expect(pdf.last).toContain("Whole brief");

      const docx = await exportOf("docx", "?version=1");
      expect(docx.status).toBe(200);
      expect(docx.headers.get("content-type")).toBe(DOCX_TYPE);
      const word = (await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
      expect(word).toContain("Agreed wording for the joint statement.");
      const record = word.slice(word.indexOf("Clearance record"));
      expect(word.indexOf("Clearance record")).toBeGreaterThan(0);
      expect(record).toContain("Finalized by Emre Yıldız");
      expect(record).toContain("Dana Seitkali");

      expect((await exportOf("pdf", "?version=2")).status).toBe(404);
    });

    it("refuses an edit over the socket while final, and a second finalize with 409", async () => {
      const refused = await connectClient(server.url, cookies.editor, { briefingId });
      const watcher = await connectClient(server.url, cookies.owner, { briefingId });
      const frozen = body(watcher.doc).toString();
      addParagraph(refused.doc, "Typed after the freeze.");
      expect(await awarenessMarker(refused, watcher)).toBe(true);
      expect(body(watcher.doc).toString()).toBe(frozen);
      expect(await readBody(server.url, cookies.owner, briefingId)).not.toContain("Typed after the freeze.");

      const again = await status(cookies.editor, { to: "final" });
      expect(again.status).toBe(409);
      expect((await again.json()).error).toContain("already final");
      expect(await versions(briefingId)).toEqual([1]);
    });

    it("reopens to draft, takes an edit and finalizes it as version 2; version 1 prints as it was", async () => {
      await noOpenRoom();
      expect((await status(cookies.owner, { to: "draft" })).status).toBe(200);
      await typeAndStore("Revised after the ministers' call.");
      expect((await status(cookies.editor, toReview())).status).toBe(200);
      const final = await finalizeCleared(server.url, briefingId, cookies.editor, cookies.commenter);
      expect(final.status).toBe(200);
      expect(await final.json()).toMatchObject({ ok: true, status: "final", version: 2 });
      expect(await versions(briefingId)).toEqual([1, 2]);

      const html = text(await (await get(server.url, `/briefings/${briefingId}/versions`, cookies.viewer)).text());
      expect(html).toContain("Version 2");
      expect(html).toContain(`aria-label="Clearance record of version 2"`);
      expect(html).toContain(`aria-label="Clearance record of version 1"`);

      // Without `version`, a final briefing exports its latest version.
      const latest = await pdfOf("");
      expect(latest.name).toContain("-v2.pdf");
      expect(latest.all).toContain("Revised after the ministers' call.");
      expect(latest.last).toContain("Clearance record");
      const first = await pdfOf("?version=1");
      expect(first.all).toContain("Agreed wording for the joint statement.");
      expect(first.all).not.toContain("Revised after the ministers");
      expect(first.all).not.toContain("Typed after the freeze.");
      const docx = await exportOf("docx", "?version=2");
      expect(docx.status).toBe(200);
      expect((await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value).toContain("Revised after the ministers' call.");
    });

    it("records one version when two finalizes of the same review are sent at once; the other is answered 409", async () => {
      await noOpenRoom();
      expect((await status(cookies.owner, { to: "draft" })).status).toBe(200);
      await typeAndStore("Third reading.");
      expect((await status(cookies.editor, toReview())).status).toBe(200);
      // The approver approves every section the refused finalize lists; then both may finalize.
      const probe = await status(cookies.editor, { to: "final" });
      expect(probe.status).toBe(409);
      const { missing } = (await probe.json()) as { missing: { section: string }[] };
      expect(missing.length).toBeGreaterThan(0);
      for (const section of new Set(missing.map((m) => m.section))) {
        expect((await postForm(server.url, `/briefings/${briefingId}/review`, cookies.commenter, { section, decision: "approved" })).status).toBe(200);
      }
      const answers = await Promise.all([status(cookies.editor, { to: "final" }), status(cookies.owner, { to: "final" })]);
      const codes = answers.map((r) => r.status).sort();
      const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, json: (await r.json()) as { version?: number; error?: string } })));
      expect(codes, JSON.stringify(bodies)).toEqual([200, 409]);
      expect(bodies.find((b) => b.status === 200)!.json.version).toBe(3);
      expect(await versions(briefingId)).toEqual([1, 2, 3]);
    });

    it("freezes a room open during the finalize, and a reopen makes the refused editor reload", async () => {
      await noOpenRoom();
      expect((await status(cookies.owner, { to: "draft" })).status).toBe(200);
      const editor = await connectClient(server.url, cookies.editor, { briefingId });
      const watcher = await connectClient(server.url, cookies.owner, { briefingId });
      addParagraph(editor.doc, "Fourth reading.");
      await eventually(() => expect(body(watcher.doc).toString()).toContain("Fourth reading."), 20_000);
      expect((await status(cookies.editor, toReview())).status).toBe(200);
      const final = await finalizeCleared(server.url, briefingId, cookies.editor, cookies.commenter);
      expect(final.status).toBe(200);
      expect(await final.json()).toMatchObject({ ok: true, status: "final", version: 4 });
      const frozen = body(watcher.doc).toString();
      addParagraph(editor.doc, "Typed into the open room after the freeze.");
      expect(await awarenessMarker(editor, watcher)).toBe(true);
      expect(body(watcher.doc).toString()).toBe(frozen);

      expect((await status(cookies.owner, { to: "draft" })).status).toBe(200);
      await eventually(() => expect(editor.closes.map((c) => c.code)).toEqual([4412]), 20_000);
      expect(await readBody(server.url, cookies.owner, briefingId)).not.toContain("after the freeze");
      expect(await versions(briefingId)).toEqual([1, 2, 3, 4]);
      const v4 = await pdfOf("?version=4");
      expect(v4.all).toContain("Fourth reading.");
      expect(v4.all).not.toContain("after the freeze");
    });
  });
}
