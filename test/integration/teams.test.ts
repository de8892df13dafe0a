import { finalizeCleared, toReview } from "../helpers/review";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login, postForm, type DemoRole, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const TEAM = "demo-kz-tr-desk";
const BRIEFING = "ankara-summit";
let server: TestServer;
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  server = await startTestServer();
  Object.assign(cookies, await loginAll(server.url));
});
afterAll(async () => {
  await server?.stop();
});

const newBriefing = {
  intent: "create",
  title: "Foreign ministers' follow-up, Astana",
  summitName: "KZ–TR foreign ministers",
  city: "Astana",
  startDate: "2027-02-01",
  endDate: "2027-02-02",
  classification: "RESTRICTED",
};

async function signUp(name: string, email: string) {
  const res = await postForm(server.url, "/signup", null, { name, email, password: "a-long-password" });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}

describe("briefings list", () => {
  it("shows the seeded Ankara briefing with status and who edited last", async () => {
    const res = await get(server.url, `/teams/${TEAM}`, cookies.viewer);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
    expect(html).toContain("Draft");
    expect(html).toContain("by Aigerim Nurpeisova");
  });

  it("lets an editor create a briefing, which opens with the server-made template", async () => {
    const res = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, newBriefing);
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/briefings\/[A-Za-z0-9_-]+$/);
    const page = await get(server.url, location, cookies.editor);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Foreign ministers&#x27; follow-up, Astana");
  });

  it.each(["viewer", "commenter"] as const)("refuses creation by a %s with 403", async (role) => {
    const res = await postForm(server.url, `/teams/${TEAM}?index`, cookies[role], newBriefing);
    expect(res.status).toBe(403);
  });

  it("returns field errors for an invalid briefing", async () => {
    const res = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, {
      ...newBriefing,
      title: "",
      startDate: "2027-02-30",
      endDate: "2027-01-01",
      classification: "TOP-SECRET-ISH",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Give the briefing a title.");
    expect(html).toContain("That date does not exist.");
    expect(html).toContain("Choose a classification.");
  });

  it("sorts by title and by last edit", async () => {
    // The order of the briefings table (the page may list some above it, as recently edited).
    const table = async (path: string) => {
      const html = await (await get(server.url, path, cookies.owner)).text();
      return html.slice(html.indexOf("<table"));
    };
    const byTitle = await table(`/teams/${TEAM}?sort=title`);
    expect(byTitle.indexOf("Foreign ministers")).toBeLessThan(byTitle.indexOf("Kazakhstan–Türkiye presidential"));
    const byEdit = await table(`/teams/${TEAM}`);
    expect(byEdit.indexOf("Foreign ministers")).toBeLessThan(byEdit.indexOf("Kazakhstan–Türkiye presidential"));
  });

  it("renames, archives and unarchives as an editor; refuses a viewer or commenter", async () => {
    for (const role of ["viewer", "commenter"] as const) {
      const r = await postForm(server.url, `/teams/${TEAM}?index`, cookies[role], { intent: "rename", briefingId: BRIEFING, title: "Hijack" });
      expect(r.status).toBe(403);
      const a = await postForm(server.url, `/teams/${TEAM}?index`, cookies[role], { intent: "archive", briefingId: BRIEFING });
      expect(a.status).toBe(403);
    }
    const tooLong = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { intent: "rename", briefingId: BRIEFING, title: "x".repeat(201) });
    expect(tooLong.status).toBe(400);
    const ok = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, {
      intent: "rename",
      briefingId: BRIEFING,
      title: "Ankara summit <b>brief</b>",
    });
    expect(ok.status).toBe(200);
    const list = await (await get(server.url, `/teams/${TEAM}`, cookies.viewer)).text();
    expect(list).toContain("Ankara summit &lt;b&gt;brief&lt;/b&gt;");
    expect(list).not.toContain("<b>brief</b>");

    expect((await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { intent: "archive", briefingId: BRIEFING })).status).toBe(200);
    expect(await (await get(server.url, `/teams/${TEAM}`, cookies.viewer)).text()).not.toContain("Ankara summit &lt;b&gt;");
    expect(await (await get(server.url, `/teams/${TEAM}?archived=1`, cookies.viewer)).text()).toContain("Ankara summit &lt;b&gt;");
    expect((await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { intent: "unarchive", briefingId: BRIEFING })).status).toBe(200);
    await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { intent: "rename", briefingId: BRIEFING, title: "Kazakhstan–Türkiye presidential summit, Ankara" });
  });

  it("freezes the title of a final briefing and unfreezes it on reopening", async () => {
    const created = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { ...newBriefing, title: "Frozen title" });
    const id = created.headers.get("location")!.split("/").pop()!;
    const status = (role: DemoRole, to: string) => postForm(server.url, `/briefings/${id}/status`, cookies[role], { to });
    expect((await postForm(server.url, `/briefings/${id}/status`, cookies.editor, toReview())).status).toBe(200);
    expect((await finalizeCleared(server.url, id, cookies.editor, cookies.commenter)).status).toBe(200);
    const rename = () => postForm(server.url, `/teams/${TEAM}?index`, cookies.owner, { intent: "rename", briefingId: id, title: "Changed after final" });
    const refused = await rename();
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("A final briefing cannot be renamed");
    expect(await (await get(server.url, `/teams/${TEAM}`, cookies.viewer)).text()).not.toContain("Changed after final");
    expect((await status("owner", "draft")).status).toBe(200);
    expect((await rename()).status).toBe(200);
    expect(await (await get(server.url, `/teams/${TEAM}`, cookies.viewer)).text()).toContain("Changed after final");
  });

  it("lets only owners delete", async () => {
    const created = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { ...newBriefing, title: "To be deleted" });
    const id = created.headers.get("location")!.split("/").pop()!;
    const byEditor = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { intent: "delete", briefingId: id });
    expect(byEditor.status).toBe(403);
    const byOwner = await postForm(server.url, `/teams/${TEAM}?index`, cookies.owner, { intent: "delete", briefingId: id });
    expect(byOwner.status).toBe(200);
    expect((await get(server.url, `/briefings/${id}`, cookies.owner)).status).toBe(404);
  });
});

describe("briefing page access", () => {
  it("shows the briefing to every member role", async () => {
    for (const role of ["owner", "editor", "commenter", "viewer"] as const) {
      const res = await get(server.url, `/briefings/${BRIEFING}`, cookies[role]);
      expect(res.status).toBe(200);
    }
  });

  it("answers 404 for unknown or malformed ids and 403 for another team's briefing", async () => {
    expect((await get(server.url, "/briefings/does-not-exist", cookies.owner)).status).toBe(404);
    expect((await get(server.url, `/briefings/${"x".repeat(300)}`, cookies.owner)).status).toBe(404);
    expect((await get(server.url, "/briefings/bad%20id%3B", cookies.owner)).status).toBe(404);
    const outsider = await signUp("Outside Person", "outsider@example.test");
    const res = await get(server.url, `/briefings/${BRIEFING}`, outsider);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("not a member of the team");
    expect((await get(server.url, `/teams/${TEAM}`, outsider)).status).toBe(403);
  });

  it("refuses acting on a briefing through another team's URL", async () => {
    const owner2 = await signUp("Second Owner", "owner2@example.test");
    const team = await postForm(server.url, "/teams?index", owner2, { name: "Other desk" });
    const otherTeam = team.headers.get("location")!.split("/").pop()!;
    const res = await postForm(server.url, `/teams/${otherTeam}?index`, owner2, { intent: "delete", briefingId: BRIEFING });
    expect(res.status).toBe(403);
  });
});

describe("teams and members", () => {
  it("creates a team whose creator is owner, with a length limit on the name", async () => {
    const user = await signUp("Team Maker", "maker@example.test");
    expect((await postForm(server.url, "/teams?index", user, { name: "" })).status).toBe(400);
    expect((await postForm(server.url, "/teams?index", user, { name: "n".repeat(81) })).status).toBe(400);
    const res = await postForm(server.url, "/teams?index", user, { name: "Embassy in Ankara" });
    expect(res.status).toBe(302);
    const page = await (await get(server.url, res.headers.get("location")!, user)).text();
    expect(page).toContain("Embassy in Ankara");
    expect(page).toContain("role-owner");
  });

  it.each(["editor", "commenter", "viewer"] as const)("refuses member management by a %s", async (role) => {
    const path = `/teams/${TEAM}/members`;
    expect((await postForm(server.url, path, cookies[role], { intent: "invite", role: "owner" })).status).toBe(403);
    expect((await postForm(server.url, path, cookies[role], { intent: "role", userId: "demo-viewer", role: "owner" })).status).toBe(403);
    expect((await postForm(server.url, path, cookies[role], { intent: "remove", userId: "demo-viewer" })).status).toBe(403);
  });

  it("invites by link with a role; the invitee joins with that role; the owner changes and removes it", async () => {
    const path = `/teams/${TEAM}/members`;
    expect((await postForm(server.url, path, cookies.owner, { intent: "invite", role: "commenter", maxUses: "1", expiresIn: "7d" })).status).toBe(200);
    const html = await (await get(server.url, path, cookies.owner)).text();
    const link = html.match(/\/invite\/([A-Za-z0-9_-]+)/)![0];

    const invitee = await signUp("New Colleague", "colleague@example.test");
    expect((await get(server.url, link, invitee)).status).toBe(200);
    const join = await postForm(server.url, link, invitee, {});
    expect(join.status).toBe(302);
    expect(join.headers.get("location")).toBe(`/teams/${TEAM}`);
    const members = await (await get(server.url, path, cookies.owner)).text();
    expect(members).toContain("New Colleague");

    // As commenter the invitee cannot create briefings; promoted to editor they can.
    expect((await postForm(server.url, `/teams/${TEAM}?index`, invitee, newBriefing)).status).toBe(403);
    const colleagueId = [...members.matchAll(/name="userId" value="([^"]+)"/g)].map((m) => m[1]).find((id) => !id.startsWith("demo-"))!;
    expect(colleagueId).toBeTruthy();
    expect((await postForm(server.url, path, cookies.owner, { intent: "role", userId: colleagueId, role: "editor" })).status).toBe(200);
    expect((await postForm(server.url, `/teams/${TEAM}?index`, invitee, newBriefing)).status).toBe(302);

    expect((await postForm(server.url, path, cookies.owner, { intent: "remove", userId: colleagueId })).status).toBe(200);
    expect((await get(server.url, `/teams/${TEAM}`, invitee)).status).toBe(403);
  });

  it("refuses a revoked invitation with 410 and an unknown one with 404", async () => {
    const path = `/teams/${TEAM}/members`;
    await postForm(server.url, path, cookies.owner, { intent: "invite", role: "viewer", maxUses: "1", expiresIn: "7d" });
    const html = await (await get(server.url, path, cookies.owner)).text();
    const id = [...html.matchAll(/\/invite\/([A-Za-z0-9_-]+)/g)].pop()![1];
    expect((await postForm(server.url, path, cookies.owner, { intent: "revoke", invitationId: id })).status).toBe(200);
    const someone = await login(server.url, "selin@demo.summitdesk.test");
    expect((await get(server.url, `/invite/${id}`, someone)).status).toBe(410);
    expect((await get(server.url, "/invite/nope", someone)).status).toBe(404);
  });

  it("never leaves a team without an owner", async () => {
    const res = await postForm(server.url, `/teams/${TEAM}/members`, cookies.owner, { intent: "role", userId: "demo-owner", role: "editor" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("at least one owner");
  });

  it("rejects an invalid role with 400", async () => {
    const res = await postForm(server.url, `/teams/${TEAM}/members`, cookies.owner, { intent: "role", userId: "demo-viewer", role: "admin" });
    expect(res.status).toBe(400);
  });
});
