import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, postForm, type DemoRole, loginAll } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";

/** Invitation links over real HTTP: limits, expiry, revocation, the race for the last use. */

const TEAM = "demo-kz-tr-desk";
const MEMBERS = `/teams/${TEAM}/members`;
// One dialect's server at a time: each dialect's describe below starts its own and stops it before the next.
let env: DialectServer;
let server: TestServer;
const cookies = {} as Record<DemoRole, string>;

interface InvitationRow {
  id: string;
  role: string;
  max_uses: number;
  use_count: number;
  expires_at: number;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

const row = async (id: string) => (await env.sql<InvitationRow>("select * from invitations where id = ?", [id]))[0];
const uses = (id: string) =>
  env.sql<{ user_id: string; previous_role: string | null; role: string; used_at: number }>(
    "select user_id, previous_role, role, used_at from invitation_uses where invitation_id = ? order by used_at",
    [id],
  );
const count = async () => (await env.sql<{ n: number }>("select count(*) as n from invitations"))[0].n;
const ids = async () => new Set((await env.sql<{ id: string }>("select id from invitations")).map((r) => r.id));

/** Creates an invitation through the members form and returns its id (the newest row). */
async function invite(fields: { role: string; maxUses?: string; expiresIn?: string }): Promise<string> {
  const before = await ids();
  const res = await postForm(server.url, MEMBERS, cookies.owner, { intent: "invite", maxUses: "1", expiresIn: "7d", ...fields });
  expect(res.status).toBe(200);
  const made = [...(await ids())].filter((id) => !before.has(id));
  expect(made).toHaveLength(1);
  return made[0];
}

let people = 0;
/** A new account through the real sign-up form; returns its cookie and user id. */
async function newPerson(name = `Person ${++people}`): Promise<{ cookie: string; userId: string; name: string }> {
  const email = `person-${people}-${Date.now()}@example.test`;
  const res = await postForm(server.url, "/signup", null, { name, email, password: "a-long-password" });
  expect(res.status).toBe(302);
  const userId = (await env.sql<{ id: string }>("select id from users where email = ?", [email]))[0].id;
  return { cookie: res.headers.get("set-cookie")!.split(";")[0], userId, name };
}

const accept = (id: string, cookie: string) => postForm(server.url, `/invite/${id}`, cookie, {});
const roleIn = async (userId: string) => (await env.sql<{ role: string }>("select role from memberships where team_id = ? and user_id = ?", [TEAM, userId]))[0]?.role;

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`invitations on ${dialect.name}`, { timeout: 120_000 }, () => {
    beforeAll(async () => {
      env = await dialect.start();
      server = env.server;
      Object.assign(cookies, await loginAll(server.url));
    }, 120_000);
    afterAll(async () => {
      await env?.close();
    });

    describe("creating invitations", () => {
      it("makes an owner invitation single-use whatever the form asks", async () => {
        const id = await invite({ role: "owner", maxUses: "50" });
        expect((await row(id)).max_uses).toBe(1);
        const a = await newPerson();
        const b = await newPerson();
        const first = await accept(id, a.cookie);
        expect(first.status).toBe(302);
        expect(first.headers.get("location")).toBe(`/teams/${TEAM}`);
        expect(await roleIn(a.userId)).toBe("owner");
        const second = await accept(id, b.cookie);
        expect(second.status).toBe(410);
        expect(await second.text()).toContain("This invitation has been used up");
        expect(await roleIn(b.userId)).toBeUndefined();
      });

      it("stores the chosen use limit and expiry", async () => {
        const before = Date.now();
        const id = await invite({ role: "viewer", maxUses: "100", expiresIn: "1h" });
        const r = await row(id);
        expect(r.max_uses).toBe(100);
        expect(r.use_count).toBe(0);
        expect(r.expires_at - r.created_at).toBe(60 * 60 * 1000);
        expect(r.created_at).toBeGreaterThanOrEqual(before - 1000);
        const month = await invite({ role: "viewer", expiresIn: "30d" });
        expect((await row(month)).expires_at - (await row(month)).created_at).toBe(30 * 24 * 60 * 60 * 1000);
      });

      it.each([
        [{ maxUses: "0" }, "Uses must be a whole number from 1 to 100."],
        [{ maxUses: "101" }, "Uses must be a whole number from 1 to 100."],
        [{ maxUses: "2.5" }, "Uses must be a whole number from 1 to 100."],
        [{ maxUses: "many" }, "Uses must be a whole number from 1 to 100."],
        [{ expiresIn: "365d" }, "Choose when the link expires"],
        [{ expiresIn: "" }, "Choose when the link expires"],
        [{ role: "admin" }, "Choose a role."],
      ])("refuses %o with 400 and a field error", async (bad, message) => {
        const before = await count();
        const res = await postForm(server.url, MEMBERS, cookies.owner, { intent: "invite", role: "editor", maxUses: "3", expiresIn: "7d", ...bad });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain(message);
        expect(await count()).toBe(before);
      });

      it("refuses a form without the use limit or expiry", async () => {
        const res = await postForm(server.url, MEMBERS, cookies.owner, { intent: "invite", role: "editor" });
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toContain("Uses must be a whole number");
        expect(html).toContain("Choose when the link expires");
      });

      it.each(["editor", "commenter", "viewer"] as const)("refuses creating and revoking by a %s with 403", async (role) => {
        const before = await count();
        const create = await postForm(server.url, MEMBERS, cookies[role], { intent: "invite", role: "viewer", maxUses: "5", expiresIn: "7d" });
        expect(create.status).toBe(403);
        expect(await count()).toBe(before);
        const id = await invite({ role: "viewer" });
        const revoke = await postForm(server.url, MEMBERS, cookies[role], { intent: "revoke", invitationId: id });
        expect(revoke.status).toBe(403);
        expect((await row(id)).revoked_at).toBeNull();
      });
    });

    describe("accepting invitations", () => {
      it("lets in as many people as allowed, records each use, and does not count one person twice", async () => {
        const id = await invite({ role: "commenter", maxUses: "2" });
        const [a, b, c] = [await newPerson("Aliya Writer"), await newPerson("Baris Reader"), await newPerson("Cem Late")];
        expect((await accept(id, a.cookie)).status).toBe(302);
        // The same person again (a double click, a second tab): no second use taken.
        expect((await accept(id, a.cookie)).status).toBe(302);
        expect((await row(id)).use_count).toBe(1);
        expect((await accept(id, b.cookie)).status).toBe(302);
        expect((await row(id)).use_count).toBe(2);
        const late = await accept(id, c.cookie);
        expect(late.status).toBe(410);
        expect(await roleIn(c.userId)).toBeUndefined();

        const recorded = await uses(id);
        expect(recorded.map((u) => [u.user_id, u.previous_role, u.role])).toEqual([
          [a.userId, null, "commenter"],
          [b.userId, null, "commenter"],
        ]);
        expect(recorded[0].used_at).toBeGreaterThan(Date.now() - 60_000);

        // The person who used the last place sees that they joined, not an error.
        const again = await get(server.url, `/invite/${id}`, b.cookie);
        expect(again.status).toBe(200);
        expect(await again.text()).toContain("You have already accepted this invitation");

        // The owner sees who accepted and that nothing is left.
        const page = await (await get(server.url, MEMBERS, cookies.owner)).text();
        const item = page.slice(page.indexOf(`/invite/${id}`));
        expect(item.slice(0, 800)).toContain("used up");
        expect(item.slice(0, 800)).toContain("Accepted by Aliya Writer (commenter");
        expect(item.slice(0, 800)).toContain("Baris Reader (commenter");
      });

      it("keeps the higher role of an existing member and records the role before", async () => {
        const person = await newPerson();
        expect((await accept(await invite({ role: "editor" }), person.cookie)).status).toBe(302);
        const lower = await invite({ role: "viewer" });
        expect((await accept(lower, person.cookie)).status).toBe(302);
        expect(await roleIn(person.userId)).toBe("editor");
        expect((await uses(lower)).map((u) => [u.previous_role, u.role])).toEqual([["editor", "editor"]]);
        const higher = await invite({ role: "owner" });
        expect((await accept(higher, person.cookie)).status).toBe(302);
        expect(await roleIn(person.userId)).toBe("owner");
        expect((await uses(higher)).map((u) => [u.previous_role, u.role])).toEqual([["editor", "owner"]]);
      });

      it("gives the last use to exactly one of two people who accept at the same moment", async () => {
        const id = await invite({ role: "editor", maxUses: "1" });
        const [a, b] = [await newPerson(), await newPerson()];
        const results = await Promise.all([accept(id, a.cookie), accept(id, b.cookie)]);
        expect(results.map((r) => r.status).sort()).toEqual([302, 410]);
        expect((await row(id)).use_count).toBe(1);
        const roles = await Promise.all([a, b].map((p) => roleIn(p.userId)));
        const winners = [a, b].filter((_, i) => roles[i] === "editor");
        expect(winners).toHaveLength(1);
        expect((await uses(id)).map((u) => u.user_id)).toEqual([winners[0].userId]);
      });

      it("shows an expired link as expired (410), on the page and when accepting", async () => {
        const id = await invite({ role: "editor", maxUses: "5" });
        await env.write("update invitations set expires_at = ? where id = ?", [new Date(Date.now() - 1000), id]);
        const person = await newPerson();
        const page = await get(server.url, `/invite/${id}`, person.cookie);
        expect(page.status).toBe(410);
        expect(await page.text()).toContain("This invitation has expired");
        const res = await accept(id, person.cookie);
        expect(res.status).toBe(410);
        expect(await res.text()).toContain("This invitation has expired");
        expect(await roleIn(person.userId)).toBeUndefined();
        expect((await row(id)).use_count).toBe(0);
      });

      it("shows a revoked link as revoked (410) and records who revoked it", async () => {
        const id = await invite({ role: "editor", maxUses: "5" });
        expect((await postForm(server.url, MEMBERS, cookies.owner, { intent: "revoke", invitationId: id })).status).toBe(200);
        expect((await row(id)).revoked_by).toBe("demo-owner");
        expect((await row(id)).revoked_at).not.toBeNull();
        const signedOut = await get(server.url, `/invite/${id}`);
        expect(signedOut.status).toBe(410);
        expect(await signedOut.text()).toContain("This invitation was revoked");
        const person = await newPerson();
        const res = await accept(id, person.cookie);
        expect(res.status).toBe(410);
        expect(await res.text()).toContain("This invitation was revoked");
        expect(await roleIn(person.userId)).toBeUndefined();
        // Revoked links leave the owner's list.
        expect(await (await get(server.url, MEMBERS, cookies.owner)).text()).not.toContain(`/invite/${id}`);
      });

      it("answers 404 for an unknown invitation, and for revoking one", async () => {
        const person = await newPerson();
        for (const path of ["/invite/no-such-link", "/invite/bad%20id"]) {
          const res = await get(server.url, path, person.cookie);
          expect(res.status).toBe(404);
          expect(await res.text()).toContain("There is no invitation at this address");
        }
        expect((await accept("no-such-link", person.cookie)).status).toBe(404);
        expect((await postForm(server.url, MEMBERS, cookies.owner, { intent: "revoke", invitationId: "no-such-link" })).status).toBe(404);
      });
    });

    describe("a signed-out person opening a link", () => {
      it("sees who invites them to which team as which role, with sign-in and sign-up carrying the link", async () => {
        const id = await invite({ role: "commenter", maxUses: "3" });
        const res = await get(server.url, `/invite/${id}`);
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).toContain("Aigerim Nurpeisova");
        expect(html).toContain("Kazakhstan–Türkiye desk");
        expect(html).toContain("role-commenter");
        const back = encodeURIComponent(`/invite/${id}`);
        expect(html).toContain(`href="/login?redirectTo=${back}"`);
        expect(html).toContain(`href="/signup?redirectTo=${back}"`);
        expect(html).toContain("Sign in to accept");
        expect(html).toContain("Create an account to accept");

        // Sign-in and sign-up pages say what is being joined.
        for (const page of ["/login", "/signup"]) {
          const text = await (await get(server.url, `${page}?redirectTo=${back}`)).text();
          expect(text).toContain("invited you to join");
          expect(text).toContain("Kazakhstan–Türkiye desk");
        }

        // Accepting needs a session: back to sign-in, returning to the link.
        const post = await postForm(server.url, `/invite/${id}`, null, {});
        expect(post.status).toBe(302);
        expect(post.headers.get("location")).toBe(`/login?redirectTo=${back}`);
        expect((await row(id)).use_count).toBe(0);

        // Sign-up returns to the link, and the new account can then accept it.
        const email = `via-link-${Date.now()}@example.test`;
        const signup = await postForm(server.url, "/signup", null, { name: "Via Link", email, password: "a-long-password", redirectTo: `/invite/${id}` });
        expect(signup.status).toBe(302);
        expect(signup.headers.get("location")).toBe(`/invite/${id}`);
        const cookie = signup.headers.get("set-cookie")!.split(";")[0];
        expect(await (await get(server.url, `/invite/${id}`, cookie)).text()).toContain("Join the team");
        expect((await accept(id, cookie)).status).toBe(302);
        expect((await row(id)).use_count).toBe(1);
      });

      it("sees which of used up, expired or revoked a dead link is, without signing in", async () => {
        const used = await invite({ role: "viewer", maxUses: "1" });
        expect((await accept(used, (await newPerson()).cookie)).status).toBe(302);
        const res = await get(server.url, `/invite/${used}`);
        expect(res.status).toBe(410);
        expect(await res.text()).toContain("This invitation has been used up");
        // A dead link gives the sign-in page no invitation to describe.
        expect(await (await get(server.url, `/login?redirectTo=${encodeURIComponent(`/invite/${used}`)}`)).text()).not.toContain("invited you to join");
      });
    });
  });
}
