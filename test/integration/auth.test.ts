import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login, loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("health", () => {
  it("answers /healthz once the database is ready", async () => {
    const res = await get(server.url, "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ready" });
  });
});

describe("sign in and out", () => {
  it("redirects anonymous visitors to /login with redirectTo", async () => {
    const res = await get(server.url, "/teams");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fteams");
  });

  it("signs in a demo user with the README password and honours redirectTo", async () => {
    const res = await postForm(server.url, "/login", null, {
      email: "aigerim@demo.summitdesk.test",
      password: "summit-demo-2026",
      redirectTo: "/briefings/ankara-summit",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/briefings/ankara-summit");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("refuses a wrong password with a clear message", async () => {
    const res = await postForm(server.url, "/login", null, { email: "aigerim@demo.summitdesk.test", password: "nope-nope" });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("do not match an account");
  });

  it("refuses an open redirect after sign-in", async () => {
    const res = await postForm(server.url, "/login", null, {
      email: "emre@demo.summitdesk.test",
      password: "summit-demo-2026",
      redirectTo: "//evil.example/phish",
    });
    expect(res.headers.get("location")).toBe("/teams");
  });

  it("signs up a new user, who then has no teams", async () => {
    const res = await postForm(server.url, "/signup", null, { name: "Aru Test", email: "aru@example.test", password: "long-enough-pw" });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    const teams = await get(server.url, "/teams", cookie);
    expect(teams.status).toBe(200);
    expect(await teams.text()).toContain("You are not in a team yet");
    const again = await postForm(server.url, "/signup", null, { name: "Aru", email: "ARU@example.test", password: "long-enough-pw" });
    // A taken email gets the generic refusal (docs/decisions/0004-account-enumeration.md).
    expect(again.status).toBe(400);
    expect(await again.text()).not.toMatch(/already exists/i);
  });

  it("shows field errors for an invalid sign-up", async () => {
    const res = await postForm(server.url, "/signup", null, { name: "", email: "not-an-email", password: "short" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Enter your name.");
    expect(html).toContain("Enter a valid email address.");
    expect(html).toContain("at least 8 characters");
  });

  it("sign-out revokes the session on the server, not just the cookie", async () => {
    const cookie = await loginAs(server.url, "editor");
    expect((await get(server.url, "/teams?all=1", cookie)).status).toBe(200);
    const out = await postForm(server.url, "/logout", cookie, {});
    expect(out.status).toBe(302);
    // Replaying the old cookie must not work any more.
    const after = await get(server.url, "/teams", cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/login");
  });

  it("treats a session past its expiry as signed out", async () => {
    const cookie = await loginAs(server.url, "viewer");
    expect((await get(server.url, "/teams?all=1", cookie)).status).toBe(200);
    const db = new Database(server.databasePath);
    try {
      // The newest session is the one just created; move its expiry a second into the past.
      db.prepare("update sessions set expires_at = ? where id = (select id from sessions order by created_at desc limit 1)").run(Date.now() - 1000);
    } finally {
      db.close();
    }
    const after = await get(server.url, "/teams", cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/login");
    expect((await get(server.url, "/briefings/ankara-summit/comments", cookie)).status).toBe(401);
  });

  it("refuses a cross-origin form post", async () => {
    const cookie = await login(server.url, "aigerim@demo.summitdesk.test");
    const res = await fetch(`${server.url}/teams`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: "https://evil.example" },
      body: new URLSearchParams({ name: "Hijacked" }),
      redirect: "manual",
    });
    expect(res.status).toBe(403);
  });
});

describe("limits on account endpoints", () => {
  it("answers 429 after too many failed sign-ins for one email, and a later success is still refused until the window passes", async () => {
    const email = "emre@demo.summitdesk.test";
    for (let i = 0; i < 10; i++) {
      const res = await postForm(server.url, "/login", null, { email, password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await postForm(server.url, "/login", null, { email, password: "summit-demo-2026" });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await blocked.text()).toContain("Too many sign-in attempts");
    // Other accounts are unaffected.
    expect((await postForm(server.url, "/login", null, { email: "dana@demo.summitdesk.test", password: "summit-demo-2026" })).status).toBe(302);
  });

  it("limits attempts per client address", async () => {
    const limited = await startTestServer({ env: { AUTH_ATTEMPTS_PER_ADDRESS: "3" } });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await postForm(limited.url, "/login", null, { email: "x@example.test", password: "whatever1" })).status).toBe(401);
      }
      expect((await postForm(limited.url, "/signup", null, { name: "X", email: "x@example.test", password: "whatever12" })).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });

  it("refuses a request body over the limit with 413 before reading it", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=" + "x".repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("too large");
  });
});
