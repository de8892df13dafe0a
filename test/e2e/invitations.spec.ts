import { describe, expect, it } from "vitest";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";

const run = browserAvailable();

describe.skipIf(!run)("invitation links in a real browser", () => {
  const env = useServerAndBrowser();

  it("lets a signed-out person see the invitation, create an account through it and land in the team", async () => {
    // The owner makes a commenter link for three people, valid one day.
    const owner = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const members = await owner.newPage();
    await members.goto("/teams/demo-kz-tr-desk/members");
    const form = members.locator("form.invite-form");
    await form.getByLabel("Role").selectOption("commenter");
    await form.getByLabel("Uses").fill("3");
    await form.getByLabel("Expires after").selectOption("1d");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    const item = members.locator(".invite-list li").filter({ hasText: "3 of 3 uses left" });
    await item.waitFor();
    const link = (await item.locator("code.invite-link").textContent())!.trim();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);

    // A stranger with no account opens it: who, which team, which role, and two ways in.
    const stranger = await env.browser.newContext({ baseURL: env.server.url });
    const page = await stranger.newPage();
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Join Kazakhstan–Türkiye desk" }).waitFor();
    const card = page.locator("section.auth-card");
    await expect(card.textContent()).resolves.toContain("Aigerim Nurpeisova invited you to join Kazakhstan–Türkiye desk as commenter");
    await page.getByRole("link", { name: "Sign in to accept" }).waitFor();
    await page.getByRole("link", { name: "Create an account to accept" }).click();

    // The sign-up page still knows the invitation.
    await page.waitForURL(/\/signup\?redirectTo=/);
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    await page.getByText("invited you to join").waitFor();
    await page.getByLabel("Full name").fill("Aruzhan Invited");
    await page.getByLabel("Email").fill("aruzhan@example.test");
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create account" }).click();

    // Back on the invitation, signed in now; one click joins.
    await page.waitForURL((url) => url.pathname === new URL(link).pathname);
    await page.getByRole("button", { name: "Join the team" }).click();
    await page.waitForURL(/\/teams\/demo-kz-tr-desk$/);
    await page.getByRole("heading", { level: 1, name: "Kazakhstan–Türkiye desk" }).waitFor();
    await page.locator(".page-header .role-badge.role-commenter").waitFor();

    // The owner sees who accepted.
    await members.reload();
    await members.locator(".invite-list li").filter({ hasText: "2 of 3 uses left" }).filter({ hasText: "Accepted by Aruzhan Invited (commenter" }).waitFor();
    await stranger.close();
    await owner.close();
  });
});
