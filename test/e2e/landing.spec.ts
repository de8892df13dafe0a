import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_TEAM_ID } from "../../server/seed/demo";
import { browserAvailable, useServerAndBrowser } from "../helpers/browser";
import { demoUser, login, postForm } from "../helpers/http";

/** After sign-in, a member of one team sees that team's briefings, and their own latest work on top. */

const run = browserAvailable();
const EDITOR = demoUser("editor");

describe.skipIf(!run)("landing after sign-in", () => {
  const env = useServerAndBrowser();

  it("lands on the only team's briefings; “Recently edited by you” lists the user's five latest, newest first", async () => {
    const cookie = await login(env.server.url, EDITOR.email);
    const created: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await postForm(env.server.url, `/teams/${DEMO_TEAM_ID}?index`, cookie, {
        intent: "create",
        title: `Working brief ${i}`,
        summitName: "Follow-up",
        city: "Astana",
        startDate: "2027-03-01",
        endDate: "2027-03-02",
        classification: "RESTRICTED",
      });
      expect(res.status).toBe(302);
      created.push(res.headers.get("location")!.split("/").pop()!);
      // Each one strictly newer than the last, so the expected order is the only right one.
      const at = Date.now();
      while (Date.now() === at) await new Promise<void>((r) => setImmediate(r));
    }
    // Renaming the first makes it the newest of the editor's edits.
    const rename = await postForm(env.server.url, `/teams/${DEMO_TEAM_ID}?index`, cookie, { intent: "rename", briefingId: created[0], title: "Working brief 1, renamed" });
    expect(rename.status).toBe(200);
    // Someone else's last edit is not the editor's recent work.
    const owner = await login(env.server.url, demoUser("owner").email);
    const byOwner = await postForm(env.server.url, `/teams/${DEMO_TEAM_ID}?index`, owner, { intent: "rename", briefingId: created[5], title: "Working brief 6, owner's title" });
    expect(byOwner.status).toBe(200);

    const context = await env.browser.newContext({ baseURL: env.server.url });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("Email").fill(EDITOR.email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/teams/${DEMO_TEAM_ID}`, { timeout: 20_000 });
      const recent = page.getByRole("region", { name: "Recently edited by you" });
      await recent.waitFor();
      const titles = await recent.getByRole("link").allInnerTexts();
      expect(titles).toEqual(["Working brief 1, renamed", "Working brief 5", "Working brief 4", "Working brief 3", "Working brief 2"]);
      // The briefing is one more click away.
      await recent.getByRole("link", { name: "Working brief 5" }).click();
      await page.getByRole("heading", { level: 1, name: "Working brief 5" }).waitFor({ timeout: 20_000 });

      // The list of teams is still there, to create another one.
      await page.goto("/teams?all=1");
      await page.getByRole("heading", { level: 1, name: "Your teams" }).waitFor();
      await page.getByRole("button", { name: "Create team" }).waitFor();
      expect(await page.getByRole("link", { name: /Kazakhstan–Türkiye desk/ }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
