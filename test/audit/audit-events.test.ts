import { finalizeCleared, toReview } from "../helpers/review";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUser, get, login, postForm, type DemoRole, loginAll } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { auditRows, lastRow } from "./audit-db";

const TEAM = "demo-kz-tr-desk";
const BRIEFING = "ankara-summit";
const MEMBERS = `/teams/${TEAM}/members`;
// One dialect's server at a time: each dialect's describe below starts its own and stops it before the next.
let env: DialectServer;
let server: TestServer;
const cookies = {} as Record<DemoRole, string>;

async function signUp(name: string, email: string): Promise<{ cookie: string; userId: string }> {
  const res = await postForm(server.url, "/signup", null, { name, email, password: "a-long-password" });
  expect(res.status).toBe(302);
  const row = (await auditRows(env.sql, "action = 'auth.sign_in' and actor_email = ?", email))[0];
  return { cookie: res.headers.get("set-cookie")!.split(";")[0], userId: row.actor_id! };
}

async function newInvitation(role: string): Promise<string> {
  const res = await postForm(server.url, MEMBERS, cookies.owner, { intent: "invite", role, maxUses: "2", expiresIn: "7d" });
  expect(res.status).toBe(200);
  return (await lastRow(env.sql, "invitation.create"))!.target!;
}

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`audit events on ${dialect.name}`, { timeout: 120_000 }, () => {
    beforeAll(async () => {
      env = await dialect.start();
      server = env.server;
      Object.assign(cookies, await loginAll(server.url));
    }, 120_000);
    afterAll(async () => {
      await env?.close();
    });

    describe("account events", () => {
      it("records each sign-in with the account, the method and the client address", async () => {
        const rows = await auditRows(env.sql, "action = 'auth.sign_in'");
        const owner = rows.find((r) => r.actor_id === demoUser("owner").id)!;
        expect(owner).toMatchObject({ actor_email: demoUser("owner").email, team_id: null, details: { method: "password" } });
        expect(owner.ip).toMatch(/127\.0\.0\.1$/);
        expect(Math.abs(owner.at - Date.now())).toBeLessThan(10 * 60_000);
      });

      it("records a one-click demo sign-in and a sign-up, each as a sign-in with its method", async () => {
        const demo = await postForm(server.url, "/login", null, { intent: "demo", userId: demoUser("commenter").id, redirectTo: "/teams" });
        expect(demo.status).toBe(302);
        expect(await lastRow(env.sql, "auth.sign_in")).toMatchObject({ actor_id: demoUser("commenter").id, details: { method: "demo" } });
        await signUp("New Person", "new.person@example.test");
        expect(await lastRow(env.sql, "auth.sign_in")).toMatchObject({ actor_email: "new.person@example.test", details: { method: "signup" } });
      });

      it("records a failed sign-in with the email tried, and the account when the email has one", async () => {
        const tried = "Emre@Demo.SummitDesk.test";
        const wrong = await postForm(server.url, "/login", null, { email: tried, password: "not-the-password" });
        expect(wrong.status).toBe(401);
        expect(await lastRow(env.sql, "auth.sign_in_failed")).toMatchObject({ actor_email: tried, actor_id: demoUser("editor").id, details: { reason: "wrong_password" } });

        const unknown = await postForm(server.url, "/login", null, { email: "nobody@example.test", password: "whatever-it-is" });
        expect(unknown.status).toBe(401);
        expect(await lastRow(env.sql, "auth.sign_in_failed")).toMatchObject({ actor_email: "nobody@example.test", actor_id: null, details: { reason: "unknown_email" } });
      });

      it("records a sign-out of a live session, and nothing for a cookie that is no session", async () => {
        const cookie = await login(server.url, demoUser("viewer").email);
        const before = (await auditRows(env.sql, "action = 'auth.sign_out'")).length;
        expect((await postForm(server.url, "/logout", cookie, {})).status).toBe(302);
        expect(await lastRow(env.sql, "auth.sign_out")).toMatchObject({ actor_id: demoUser("viewer").id, actor_email: demoUser("viewer").email });
        expect((await postForm(server.url, "/logout", cookie, {})).status).toBe(302);
        expect(await auditRows(env.sql, "action = 'auth.sign_out'")).toHaveLength(before + 1);
      });
    });

    describe("membership and invitation events", () => {
      it("records an invitation created, used and revoked, once each", async () => {
        const id = await newInvitation("commenter");
        expect(await lastRow(env.sql, "invitation.create")).toMatchObject({ team_id: TEAM, actor_id: demoUser("owner").id, target: id, details: { role: "commenter", maxUses: 2 } });

        const person = await signUp("Aruzhan Audit", "aruzhan.audit@example.test");
        expect((await postForm(server.url, `/invite/${id}`, person.cookie, {})).status).toBe(302);
        expect(await lastRow(env.sql, "invitation.use")).toMatchObject({
          team_id: TEAM,
          actor_id: person.userId,
          actor_email: "aruzhan.audit@example.test",
          target: id,
          details: { invitedRole: "commenter", from: null, to: "commenter" },
        });
        // Opening the accepted link again takes no use: no second event.
        await postForm(server.url, `/invite/${id}`, person.cookie, {});
        expect(await auditRows(env.sql, "action = 'invitation.use' and target = ?", id)).toHaveLength(1);

        expect((await postForm(server.url, MEMBERS, cookies.owner, { intent: "revoke", invitationId: id })).status).toBe(200);
        expect((await postForm(server.url, MEMBERS, cookies.owner, { intent: "revoke", invitationId: id })).status).toBe(200);
        const revokes = await auditRows(env.sql, "action = 'invitation.revoke' and target = ?", id);
        expect(revokes).toHaveLength(1);
        expect(revokes[0]).toMatchObject({ team_id: TEAM, actor_id: demoUser("owner").id, details: { role: "commenter" } });
      });

      it("records a role change with the old and new role, and no event when the role stays", async () => {
        const person = await signUp("Role Change", "role.change@example.test");
        const id = await newInvitation("viewer");
        await postForm(server.url, `/invite/${id}`, person.cookie, {});
        const res = await postForm(server.url, MEMBERS, cookies.owner, { intent: "role", userId: person.userId, role: "editor" });
        expect(res.status).toBe(200);
        expect(await lastRow(env.sql, "membership.role_change")).toMatchObject({
          team_id: TEAM,
          actor_id: demoUser("owner").id,
          target: person.userId,
          details: { email: "role.change@example.test", name: "Role Change", from: "viewer", to: "editor" },
        });
        const count = (await auditRows(env.sql, "action = 'membership.role_change'")).length;
        await postForm(server.url, MEMBERS, cookies.owner, { intent: "role", userId: person.userId, role: "editor" });
        expect(await auditRows(env.sql, "action = 'membership.role_change'")).toHaveLength(count);

        // A refused change (the last owner) writes nothing either.
        const refused = await postForm(server.url, MEMBERS, cookies.owner, { intent: "role", userId: demoUser("owner").id, role: "viewer" });
        expect(refused.status).toBe(409);
        expect(await auditRows(env.sql, "action = 'membership.role_change'")).toHaveLength(count);

        expect((await postForm(server.url, MEMBERS, cookies.owner, { intent: "remove", userId: person.userId })).status).toBe(200);
        expect(await lastRow(env.sql, "membership.remove")).toMatchObject({ team_id: TEAM, target: person.userId, details: { email: "role.change@example.test", role: "editor" } });
      });

      it("records an export policy change as a settings change", async () => {
        const res = await postForm(server.url, MEMBERS, cookies.owner, { intent: "export-policy", exportPolicy: "editors" });
        expect(res.status).toBe(200);
        expect(await lastRow(env.sql, "team.settings_change")).toMatchObject({ team_id: TEAM, actor_id: demoUser("owner").id, details: { setting: "export_policy", from: "everyone", to: "editors" } });
        await postForm(server.url, MEMBERS, cookies.owner, { intent: "export-policy", exportPolicy: "everyone" });
        expect((await lastRow(env.sql, "team.settings_change"))!.details).toMatchObject({ from: "editors", to: "everyone" });
      });
    });

    describe("briefing events", () => {
      const details = {
        intent: "create",
        title: "Audit follow-up, Astana",
        summitName: "KZ–TR foreign ministers",
        city: "Astana",
        startDate: "2027-02-01",
        endDate: "2027-02-02",
        classification: "RESTRICTED",
      };

      it("records creation, archive, unarchive and deletion, keeping the title after the briefing is gone", async () => {
        const created = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, details);
        expect(created.status).toBe(302);
        const id = created.headers.get("location")!.split("/").pop()!;
        expect(await lastRow(env.sql, "briefing.create")).toMatchObject({ team_id: TEAM, briefing_id: id, actor_id: demoUser("editor").id, target: details.title, details: { classification: "RESTRICTED" } });

        for (const intent of ["archive", "unarchive"]) {
          expect((await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { intent, briefingId: id })).status).toBe(200);
          expect(await lastRow(env.sql, `briefing.${intent}`)).toMatchObject({ team_id: TEAM, briefing_id: id, actor_id: demoUser("editor").id });
        }

        expect((await postForm(server.url, `/teams/${TEAM}?index`, cookies.owner, { intent: "delete", briefingId: id })).status).toBe(200);
        expect(await lastRow(env.sql, "briefing.delete")).toMatchObject({ team_id: TEAM, briefing_id: id, actor_id: demoUser("owner").id, target: details.title, details: { status: "draft" } });
        // Its earlier events are still there.
        expect((await auditRows(env.sql, "briefing_id = ?", id)).map((r) => r.action)).toEqual(["briefing.create", "briefing.archive", "briefing.unarchive", "briefing.delete"]);
      });

      it("records status changes from → to, finalizing with the version and content hash, and each export", async () => {
        const draftExport = await get(server.url, `/briefings/${BRIEFING}/export.pdf`, cookies.viewer);
        expect(draftExport.status).toBe(200);
        await draftExport.arrayBuffer();
        const draft = (await lastRow(env.sql, "briefing.export"))!;
        expect(draft).toMatchObject({ team_id: TEAM, briefing_id: BRIEFING, actor_id: demoUser("viewer").id, details: { format: "pdf", version: "draft" } });
        expect(draft.details.contentHash).toMatch(/^[0-9a-f]{64}$/);

        expect((await postForm(server.url, `/briefings/${BRIEFING}/status`, cookies.editor, toReview())).status).toBe(200);
        expect(await lastRow(env.sql, "briefing.status_change")).toMatchObject({ briefing_id: BRIEFING, actor_id: demoUser("editor").id, details: { from: "draft", to: "in_review" } });
        expect((await finalizeCleared(server.url, BRIEFING, cookies.editor, cookies.commenter)).status).toBe(200);
        const finalized = (await lastRow(env.sql, "briefing.status_change"))!;
        expect(finalized.details).toMatchObject({ from: "in_review", to: "final", version: 1 });
        // The hash of the unchanged body is the one the draft export recorded.
        expect(finalized.details.contentHash).toBe(draft.details.contentHash);

        // A refused transition writes nothing.
        const count = (await auditRows(env.sql, "action = 'briefing.status_change'")).length;
        expect((await postForm(server.url, `/briefings/${BRIEFING}/status`, cookies.editor, { to: "draft" })).status).toBe(403);
        expect(await auditRows(env.sql, "action = 'briefing.status_change'")).toHaveLength(count);

        const finalExport = await get(server.url, `/briefings/${BRIEFING}/export.pdf?version=1`, cookies.commenter);
        expect(finalExport.status).toBe(200);
        await finalExport.arrayBuffer();
        expect(await lastRow(env.sql, "briefing.export")).toMatchObject({ actor_id: demoUser("commenter").id, details: { format: "pdf", version: 1, contentHash: finalized.details.contentHash } });

        expect((await postForm(server.url, `/briefings/${BRIEFING}/status`, cookies.owner, { to: "draft" })).status).toBe(200);
        expect(await lastRow(env.sql, "briefing.status_change")).toMatchObject({ actor_id: demoUser("owner").id, details: { from: "final", to: "draft" } });
      });

      it("records no export that failed", async () => {
        const count = (await auditRows(env.sql, "action = 'briefing.export'")).length;
        expect((await get(server.url, `/briefings/${BRIEFING}/export.pdf?version=99`, cookies.owner)).status).toBe(404);
        expect(await auditRows(env.sql, "action = 'briefing.export'")).toHaveLength(count);
      });
    });
  });
}
