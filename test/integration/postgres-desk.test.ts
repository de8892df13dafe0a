import mammoth from "mammoth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { auditRows } from "../audit/audit-db";
import { anchorFor, json } from "../comments/comment-api";
import { flat, pdfText } from "../export/pdf-tools";
import { demoUser, get, postForm, type DemoRole, loginAll } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { connectClient, DEMO_BRIEFING, destroyAllClients, eventually, readBody } from "../helpers/yclient";
import { plainBody, suggestionApi } from "../suggestions/suggestion-api";

/**
 * Teams, invitations, suggested edits, draft exports and the audit trail through the real server
 * on SQLite and on PostgreSQL, each checked in the rows the server stored (issue #13: everything
 * besides the document works identically on both databases).
 */

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const newBriefing = {
  intent: "create",
  title: "Trade ministers' follow-up",
  summitName: "KZ–TR trade ministers",
  city: "Almaty",
  startDate: "2027-04-01",
  endDate: "2027-04-02",
  classification: "RESTRICTED",
};

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`the desk on ${dialect.name}`, { timeout: 180_000 }, () => {
    let env: DialectServer;
    let server: TestServer;
    const cookies = {} as Record<DemoRole, string>;

    beforeAll(async () => {
      env = await dialect.start({ env: { PDF_WORKERS: "1" } });
      server = env.server;
      Object.assign(cookies, await loginAll(server.url));
    }, 180_000);
    afterEach(() => destroyAllClients());
    afterAll(async () => {
      await env?.close();
    });

    async function signUp(name: string, email: string): Promise<{ cookie: string; userId: string }> {
      const res = await postForm(server.url, "/signup", null, { name, email, password: "a-long-password" });
      expect(res.status).toBe(302);
      const [user] = await env.sql<{ id: string }>("select id from users where email = ?", [email]);
      return { cookie: res.headers.get("set-cookie")!.split(";")[0], userId: user.id };
    }

    const roleIn = async (teamId: string, userId: string) =>
      (await env.sql<{ role: string }>("select role from memberships where team_id = ? and user_id = ?", [teamId, userId]))[0]?.role;

    it("creates a team, invites by link, and the invitee joins, is promoted and is removed, each step in the trail", async () => {
      const founder = await signUp("Team Founder", "founder@example.test");
      const created = await postForm(server.url, "/teams?index", founder.cookie, { name: "Embassy in Almaty" });
      expect(created.status).toBe(302);
      const teamId = created.headers.get("location")!.split("/").pop()!;
      expect(await env.sql("select name from teams where id = ?", [teamId])).toEqual([{ name: "Embassy in Almaty" }]);
      expect(await roleIn(teamId, founder.userId)).toBe("owner");

      const members = `/teams/${teamId}/members`;
      expect((await postForm(server.url, members, founder.cookie, { intent: "invite", role: "commenter", maxUses: "2", expiresIn: "7d" })).status).toBe(200);
      const invitations = await env.sql<{ id: string; role: string; max_uses: number; use_count: number; expires_at: number; created_at: number }>(
        "select id, role, max_uses, use_count, expires_at, created_at from invitations where team_id = ?",
        [teamId],
      );
      expect(invitations).toHaveLength(1);
      const invitation = invitations[0];
      expect(invitation).toMatchObject({ role: "commenter", max_uses: 2, use_count: 0 });
      expect(invitation.expires_at - invitation.created_at).toBe(7 * 24 * 60 * 60 * 1000);

      const invitee = await signUp("Invited Colleague", "colleague@example.test");
      const joined = await postForm(server.url, `/invite/${invitation.id}`, invitee.cookie, {});
      expect(joined.status).toBe(302);
      expect(joined.headers.get("location")).toBe(`/teams/${teamId}`);
      expect(await roleIn(teamId, invitee.userId)).toBe("commenter");
      expect(await env.sql("select use_count from invitations where id = ?", [invitation.id])).toEqual([{ use_count: 1 }]);
      expect(await env.sql("select user_id, previous_role, role from invitation_uses where invitation_id = ?", [invitation.id])).toEqual([
        { user_id: invitee.userId, previous_role: null, role: "commenter" },
      ]);
      expect(await (await get(server.url, members, founder.cookie)).text()).toContain("Invited Colleague");

      // As commenter they may not create a briefing; promoted to editor they may.
      expect((await postForm(server.url, `/teams/${teamId}?index`, invitee.cookie, newBriefing)).status).toBe(403);
      expect((await postForm(server.url, members, founder.cookie, { intent: "role", userId: invitee.userId, role: "editor" })).status).toBe(200);
      expect(await roleIn(teamId, invitee.userId)).toBe("editor");
      const briefing = await postForm(server.url, `/teams/${teamId}?index`, invitee.cookie, newBriefing);
      expect(briefing.status).toBe(302);
      const briefingId = briefing.headers.get("location")!.split("/").pop()!;
      expect(await env.sql("select team_id, title, status from briefings where id = ?", [briefingId])).toEqual([
        { team_id: teamId, title: newBriefing.title, status: "draft" },
      ]);

      // The last owner cannot step down; the owner removes the member, who loses the team at once.
      expect((await postForm(server.url, members, founder.cookie, { intent: "role", userId: founder.userId, role: "editor" })).status).toBe(409);
      expect((await postForm(server.url, members, founder.cookie, { intent: "remove", userId: invitee.userId })).status).toBe(200);
      expect(await roleIn(teamId, invitee.userId)).toBeUndefined();
      expect((await get(server.url, `/teams/${teamId}`, invitee.cookie)).status).toBe(403);
      expect((await get(server.url, `/briefings/${briefingId}`, invitee.cookie)).status).toBe(403);

      const trail = await auditRows(env.sql, "team_id = ?", teamId);
      expect(trail.map((r) => r.action)).toEqual(["invitation.create", "invitation.use", "membership.role_change", "briefing.create", "membership.remove"]);
      expect(trail[0]).toMatchObject({ actor_id: founder.userId, target: invitation.id, details: { role: "commenter", maxUses: 2 } });
      expect(trail[1]).toMatchObject({ actor_id: invitee.userId, target: invitation.id, details: { invitedRole: "commenter", from: null, to: "commenter" } });
      expect(trail[2]).toMatchObject({ actor_id: founder.userId, target: invitee.userId, details: { email: "colleague@example.test", from: "commenter", to: "editor" } });
      expect(trail[3]).toMatchObject({ actor_id: invitee.userId, briefing_id: briefingId, target: newBriefing.title });
      expect(trail[4]).toMatchObject({ actor_id: founder.userId, target: invitee.userId, details: { email: "colleague@example.test", role: "editor" } });
      for (const row of trail) expect(Math.abs(row.at - Date.now())).toBeLessThan(10 * 60_000);

      // The founder's trail page and CSV list the same events.
      const csv = await get(server.url, `/teams/${teamId}/audit.csv`, founder.cookie);
      expect(csv.status).toBe(200);
      const text = await csv.text();
      for (const action of ["invitation.create", "invitation.use", "membership.role_change", "membership.remove"]) expect(text).toContain(action);
    });

    it("applies an accepted suggestion to the live document, leaves a rejected one out, and accepts all of one person's", async () => {
      const editor = await connectClient(server.url, cookies.editor);
      const byCommenter = suggestionApi(server.url, cookies.commenter);
      const byEditor = suggestionApi(server.url, cookies.editor);
      const suggest = async (needle: string, replacement: string) =>
        (await json<{ suggestion: SuggestionView }>(await byCommenter.suggest(anchorFor(editor.doc, needle), replacement), 201)).suggestion;
      const statusOf = async (id: string) => (await env.sql<{ status: string; accepted_by: string | null; rejected_by: string | null }>(
        "select status, accepted_by, rejected_by from suggestions where id = ?",
        [id],
      ))[0];

      const accepted = await suggest("meeting of presidents", "summit of heads of state");
      const rejected = await suggest("Turkic Council", "Turkic Assembly");
      expect(await statusOf(accepted.id)).toEqual({ status: "open", accepted_by: null, rejected_by: null });

      await json(await byEditor.accept(accepted.id), 200);
      await json(await byEditor.reject(rejected.id), 200);
      await eventually(() => expect(plainBody(editor.doc)).toContain("summit of heads of state"), 20_000);
      expect(plainBody(editor.doc)).toContain("delegation for the summit of heads of state");
      expect(plainBody(editor.doc)).not.toContain("delegation for the meeting of presidents");
      expect(plainBody(editor.doc)).toContain("Turkic Council");
      expect(plainBody(editor.doc)).not.toContain("Turkic Assembly");
      expect(await statusOf(accepted.id)).toEqual({ status: "accepted", accepted_by: demoUser("editor").id, rejected_by: null });
      expect(await statusOf(rejected.id)).toEqual({ status: "rejected", accepted_by: null, rejected_by: demoUser("editor").id });

      const all = [await suggest("foreign ministers", "Foreign Ministers"), await suggest("Key statements", "Statements on the record")];
      const result = await json<{ decided: string[]; skipped: unknown[] }>(await byEditor.acceptAll(demoUser("commenter").id), 200);
      expect(result).toMatchObject({ decided: all.map((s) => s.id), skipped: [] });
      await eventually(() => {
        expect(plainBody(editor.doc)).toContain("Foreign Ministers");
        expect(plainBody(editor.doc)).toContain("Statements on the record");
      }, 20_000);
      for (const s of all) expect((await statusOf(s.id)).status).toBe("accepted");
      expect(await env.sql("select count(*) as n from suggestions where briefing_id = ? and status = 'open'", [DEMO_BRIEFING])).toEqual([{ n: 0 }]);

      // What was stored is what a later connection loads.
      editor.destroy();
      await eventually(async () => {
        const stored = await readBody(server.url, cookies.owner);
        expect(stored).toContain("delegation for the summit of heads of state");
        expect(stored).toContain("Statements on the record");
        expect(stored).toContain("Turkic Council");
      }, 20_000);
    });

    it("exports the draft as PDF, Word and Markdown carrying its content, each recorded in the trail", async () => {
      // The content is the demo briefing with the suggestions accepted above.
      const exportOf = async (ext: string) => {
        const res = await get(server.url, `/briefings/${DEMO_BRIEFING}/export.${ext}`, cookies.viewer);
        expect(res.status).toBe(200);
        return res;
      };
      const pdf = await exportOf("pdf");
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      const pdfBody = flat(pdfText(Buffer.from(await pdf.arrayBuffer())));
      expect(pdfBody).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
      expect(pdfBody).toContain("Draft · not for distribution");
      expect(pdfBody).toContain("delegation for the summit of heads of state");

      const docx = await exportOf("docx");
      expect(docx.headers.get("content-type")).toBe(DOCX_TYPE);
      const word = (await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
      expect(word).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
      expect(word).toContain("Statements on the record");

      const md = await exportOf("md");
      expect(md.headers.get("content-type")).toContain("text/markdown");
      const markdown = await md.text();
      expect(markdown).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
      expect(markdown).toContain("delegation for the summit of heads of state");
      expect(markdown).not.toContain("delegation for the meeting of presidents");

      const exports = await auditRows(env.sql, "action = 'briefing.export' and briefing_id = ?", DEMO_BRIEFING);
      expect(exports.map((r) => [r.actor_id, r.details.format, r.details.version])).toEqual([
        [demoUser("viewer").id, "pdf", "draft"],
        [demoUser("viewer").id, "docx", "draft"],
        [demoUser("viewer").id, "md", "draft"],
      ]);
      // One body, one hash, whatever the format.
      expect(new Set(exports.map((r) => r.details.contentHash)).size).toBe(1);
      expect(exports[0].details.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });
  });
}
