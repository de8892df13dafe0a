import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../db/store";
import { get, loginAs } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { withServerStore } from "../helpers/stores";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";

/**
 * Nobody signs off their own request: the server refuses a review whose approvers include the
 * person sending it (400, nothing stored), whether alone or among others, and the Send for review
 * picker does not offer them. On SQLite and on PostgreSQL.
 */

const BRIEFING = "ankara-summit";
const STATUS = `/briefings/${BRIEFING}/status`;

let server: TestServer;
let env: DialectServer;
const cookies: Record<string, string> = {};

/** A form with repeated fields, as the browser sends checked approvers. */
function post(cookie: string, fields: [string, string][]) {
  return fetch(`${server.url}${STATUS}`, { method: "POST", headers: { Cookie: cookie, Origin: server.url }, body: new URLSearchParams(fields), redirect: "manual" });
}

function stored(): Promise<{ status: string; approvers: number }> {
  return withServerStore(server, async (store) => {
    const [row] = await rows<{ status: string; approvers: number }>(
      store,
      sql`select status, (select cast(count(*) as integer) from review_approvers where briefing_id = ${BRIEFING}) as "approvers" from briefings where id = ${BRIEFING}`,
    );
    return row;
  });
}

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`self-approval on ${dialect.name}`, () => {
    beforeAll(async () => {
      env = await dialect.start();
      server = env.server;
      for (const role of ["owner", "editor"] as const) cookies[role] = await loginAs(server.url, role);
    }, 60_000);
    afterAll(async () => {
      await env?.close();
    });

    it("refuses the requester as the only approver, with a message", async () => {
      const res = await post(cookies.editor, [["to", "in_review"], ["approvers", "demo-editor"]]);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "You cannot be the only approver of your own review request: name someone else." });
      expect(await stored()).toEqual({ status: "draft", approvers: 0 });
    });

    it("refuses the requester among other approvers, owners included", async () => {
      const editor = await post(cookies.editor, [["to", "in_review"], ["approvers", "demo-commenter"], ["approvers", "demo-editor"]]);
      expect(editor.status).toBe(400);
      expect((await editor.json()).error).toBe("You cannot approve your own review request: leave yourself out of the approvers.");
      const owner = await post(cookies.owner, [["to", "in_review"], ["approvers", "demo-owner"], ["approvers", "demo-editor"]]);
      expect(owner.status).toBe(400);
      expect((await owner.json()).error).toContain("your own review request");
      expect(await stored()).toEqual({ status: "draft", approvers: 0 });
    });

    it("the Send for review picker leaves the requester out; naming others is accepted", async () => {
      const page = await get(server.url, `/briefings/${BRIEFING}`, cookies.editor);
      expect(page.status).toBe(200);
      const html = await page.text();
      // The loader's data names the candidates the picker shows; the editor is not among them.
      expect(html).toContain('"reviewCandidates"');
      const candidates = JSON.parse(html.match(/"reviewCandidates":(\[[^\]]*\])/)![1]) as { userId: string }[];
      expect(candidates.map((c) => c.userId).sort()).toEqual(["demo-commenter", "demo-owner"]);

      const sent = await post(cookies.editor, [["to", "in_review"], ["approvers", "demo-commenter"], ["approvers", "demo-owner"]]);
      expect(sent.status).toBe(200);
      expect(await stored()).toEqual({ status: "in_review", approvers: 2 });
    });
  });
}
