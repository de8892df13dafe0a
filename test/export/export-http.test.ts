import { finalizeCleared, toReview } from "../helpers/review";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { contentHash } from "../../server/export/content-hash";
import { updateToJSON } from "../../server/export/document-json";
import { get, postForm, loginAll } from "../helpers/http";
import { awarenessMarker } from "../helpers/marker";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { connectClient, destroyAllClients, eventually, firstParagraph, readBody } from "../helpers/yclient";
import { flat, pdfText } from "./pdf-tools";

const BRIEFING = "ankara-summit";
const EXPORT = `/briefings/${BRIEFING}/export.pdf`;
const STATUS = `/briefings/${BRIEFING}/status`;

// One dialect's server at a time: each dialect's describe below starts its own and stops it before the next.
let env: DialectServer;
let server: TestServer;
const cookies: Record<string, string> = {};

async function pdfOf(res: Response): Promise<Buffer> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  return Buffer.from(await res.arrayBuffer());
}

// Sending for review names the editor as approver; finalizing has them approve what is missing first.
const setStatus = (role: string, to: string) =>
  to === "final" ? finalizeCleared(server.url, BRIEFING, cookies[role], cookies.commenter) : postForm(server.url, STATUS, cookies[role], to === "in_review" ? toReview() : { to });

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`PDF export over HTTP on ${dialect.name}`, { timeout: 180_000 }, () => {
    beforeAll(async () => {
      env = await dialect.start({ env: { PDF_WORKERS: "1" } });
      server = env.server;
      Object.assign(cookies, await loginAll(server.url));
    }, 180_000);
    afterEach(() => destroyAllClients());
    afterAll(async () => {
      await env?.close();
    });

    describe("GET /briefings/:id/export.pdf", () => {
      it("sends an anonymous caller to sign in", async () => {
        const res = await get(server.url, EXPORT);
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(EXPORT)}`);
      });

      it("answers 404 for an unknown briefing and 403 for someone outside the team", async () => {
        expect((await get(server.url, "/briefings/no-such-briefing/export.pdf", cookies.owner)).status).toBe(404);
        const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider@example.test", password: "long-enough-pw" });
        const outsider = signup.headers.get("set-cookie")!.split(";")[0];
        const res = await get(server.url, EXPORT, outsider);
        expect(res.status).toBe(403);
      });

      it("gives any member a watermarked draft PDF as an attachment with a file name", async () => {
        const res = await get(server.url, EXPORT, cookies.viewer);
        const pdf = await pdfOf(res);
        expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="kazakhstan-turkiye-presidential-summit-ankara-draft-\d{4}-\d{2}-\d{2}\.pdf"$/);
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
        const text = flat(pdfText(pdf));
        expect(text).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
        expect(text).toContain("RESTRICTED");
        expect(pdfText(pdf, { page: 1, raw: true }).replace(/\s+/g, "")).toContain("DRAFT");
      });

      it("refuses a malformed or unknown version", async () => {
        expect((await get(server.url, `${EXPORT}?version=abc`, cookies.owner)).status).toBe(400);
        expect((await get(server.url, `${EXPORT}?version=99`, cookies.owner)).status).toBe(404);
      });
    });

    describe("status workflow", () => {
      it("lets only editors and owners move the brief, and only along the workflow", async () => {
        for (const role of ["viewer", "commenter"]) expect((await setStatus(role, "in_review")).status).toBe(403);
        const skip = await setStatus("editor", "final");
        expect(skip.status).toBe(400);
        expect((await skip.json()).error).toMatch(/review before finalizing/);
        expect((await setStatus("editor", "published")).status).toBe(400);
        expect((await postForm(server.url, STATUS, null, { to: "in_review" })).status).toBe(302);

        const review = await setStatus("editor", "in_review");
        expect(review.status).toBe(200);
        expect(await review.json()).toMatchObject({ ok: true, status: "in_review" });
        expect((await setStatus("editor", "in_review")).status).toBe(400);
      });

      it("finalizes with a recorded version, freezes live editing and exports the version", async () => {
        const editor = await connectClient(server.url, cookies.editor);
        firstParagraph(editor.doc).insert(0, "Recorded before final. ");
        await eventually(async () => expect(await readBody(server.url, cookies.owner)).toContain("Recorded before final."));

        const res = await setStatus("editor", "final");
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ ok: true, status: "final", version: 1 });

        // The editor's open connection is now read-only: its edits never reach the stored document.
        const watcher = await connectClient(server.url, cookies.owner);
        firstParagraph(editor.doc).insert(0, "TYPED AFTER FINAL ");
        // The editor's next message reaching another socket shows the server has dealt with the edit.
        expect(await awarenessMarker(editor, watcher)).toBe(true);
        expect(firstParagraph(watcher.doc).toString()).not.toContain("TYPED AFTER FINAL");
        const stored = await readBody(server.url, cookies.owner);
        expect(stored).toContain("Recorded before final.");
        expect(stored).not.toContain("TYPED AFTER FINAL");

        // The stored hash is the sha256 of the canonical body + fields of the snapshot.
        const [row] = await env.sql<{ version: number; snapshot: Buffer; content_hash: string; details: string | Record<string, unknown> }>(
          "select version, snapshot, content_hash, details from briefing_versions where briefing_id = ?",
          [BRIEFING],
        );
        const details = typeof row.details === "string" ? JSON.parse(row.details) : row.details;
        expect(row.version).toBe(1);
        expect(contentHash(updateToJSON(new Uint8Array(row.snapshot)), details)).toBe(row.content_hash);

        const exported = await get(server.url, EXPORT, cookies.commenter);
        const pdf = await pdfOf(exported);
        expect(exported.headers.get("content-disposition")).toContain("-v1.pdf");
        const text = flat(pdfText(pdf));
        expect(text).toContain(`Final version 1 · sha256 ${row.content_hash.slice(0, 12)}`);
        expect(text).toContain("Recorded before final.");
        expect(text).not.toContain("TYPED AFTER FINAL");
        expect(pdfText(pdf, { raw: true }).replace(/\s+/g, "")).not.toContain("DRAFT");
      });

      it("lets only the owner reopen; earlier finals stay listed, viewable and exportable", async () => {
        const denied = await setStatus("editor", "draft");
        expect(denied.status).toBe(403);
        expect(await denied.text()).toMatch(/owner/);
        expect((await setStatus("owner", "in_review")).status).toBe(400);
        expect((await setStatus("owner", "draft")).status).toBe(200);

        const editor = await connectClient(server.url, cookies.editor);
        firstParagraph(editor.doc).insert(0, "Second round. ");
        await eventually(async () => expect(await readBody(server.url, cookies.owner)).toContain("Second round."));
        expect((await setStatus("owner", "in_review")).status).toBe(200);
        expect(await (await setStatus("owner", "final")).json()).toMatchObject({ version: 2 });

        const list = await get(server.url, `/briefings/${BRIEFING}/versions`, cookies.viewer);
        expect(list.status).toBe(200);
        const html = await list.text();
        expect(html).toContain("Version 2");
        expect(html).toContain("Version 1");

        const v1 = await get(server.url, `/briefings/${BRIEFING}/versions/1`, cookies.viewer);
        expect(v1.status).toBe(200);
        const v1html = await v1.text();
        expect(v1html).toContain("Recorded before final.");
        expect(v1html).not.toContain("Second round.");
        expect((await get(server.url, `/briefings/${BRIEFING}/versions/7`, cookies.viewer)).status).toBe(404);

        const old = flat(pdfText(await pdfOf(await get(server.url, `${EXPORT}?version=1`, cookies.viewer))));
        expect(old).toContain("Final version 1");
        expect(old).not.toContain("Second round.");
        const latest = flat(pdfText(await pdfOf(await get(server.url, EXPORT, cookies.viewer))));
        expect(latest).toContain("Final version 2");
        expect(latest).toContain("Second round.");
      });
    });
  });
}
