import crypto from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/seed/demo";
import { demoUser, get, login, loginAs, postForm } from "../helpers/http";
import { startTestServer, tempDir, type TestServer } from "../helpers/server";
import { eventually, upgradeStatus } from "../helpers/yclient";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function demoSignIn(baseUrl: string, userId: string, redirectTo = "/teams") {
  return postForm(baseUrl, "/login", null, { intent: "demo", userId, redirectTo });
}

function countRows(databasePath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

function warnings(s: TestServer): string[] {
  return s.logs.filter((l) => l.level === "warn").map((l) => String(l.message));
}

describe("demo accounts in production", () => {
  it("are neither seeded nor offered without the explicit settings, and nothing is warned about", async () => {
    const prod = await startTestServer({ env: { NODE_ENV: "production" } });
    try {
      expect(countRows(prod.databasePath, "select count(*) as n from users")).toBe(0);
      const page = await get(prod.url, "/login");
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain("Try the demo desk");
      const res = await demoSignIn(prod.url, "demo-owner");
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(warnings(prod).filter((m) => /DEMO_LOGIN|SEED_DEMO/.test(m))).toEqual([]);
    } finally {
      await prod.stop();
    }
  });

  it("refuse password-free sign-in when only SEED_DEMO is asked for, and warn about the seeding", async () => {
    const prod = await startTestServer({ env: { NODE_ENV: "production", SEED_DEMO: "true" } });
    try {
      expect(countRows(prod.databasePath, "select count(*) as n from users where is_demo = 1")).toBe(4);
      expect(await (await get(prod.url, "/login")).text()).not.toContain("Try the demo desk");
      const res = await demoSignIn(prod.url, "demo-owner");
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(await res.text()).toContain("Demo sign-in is not available");
      // The seeded accounts still work with their password.
      expect(await loginAs(prod.url, "owner")).toMatch(/^sd_session=/);
      expect(warnings(prod).some((m) => m.includes("SEED_DEMO is on in production"))).toBe(true);
      expect(warnings(prod).some((m) => m.includes("DEMO_LOGIN"))).toBe(false);
    } finally {
      await prod.stop();
    }
  });

  it("work with DEMO_LOGIN=true set explicitly, and the start log warns about it", async () => {
    const prod = await startTestServer({ env: { NODE_ENV: "production", SEED_DEMO: "true", DEMO_LOGIN: "true" } });
    try {
      expect(await (await get(prod.url, "/login")).text()).toContain("Try the demo desk");
      const res = await demoSignIn(prod.url, "demo-owner");
      expect(res.status).toBe(302);
      expect(res.headers.get("set-cookie")).toMatch(/^sd_session=/);
      expect(warnings(prod).some((m) => m.includes("DEMO_LOGIN is on in production"))).toBe(true);
    } finally {
      await prod.stop();
    }
  });
});

describe("demo sign-in obeys the sign-in limits", () => {
  it("answers 429 for a demo account locked by failed password sign-ins", async () => {
    const { email, id } = demoUser("commenter");
    for (let i = 0; i < 10; i++) {
      expect((await postForm(server.url, "/login", null, { email, password: `wrong-${i}` })).status).toBe(401);
    }
    const res = await demoSignIn(server.url, id);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("Too many sign-in attempts");
    // Another demo account is not affected.
    expect((await demoSignIn(server.url, demoUser("viewer").id)).status).toBe(302);
  });

  it("counts against the per-address limit", async () => {
    const limited = await startTestServer({ env: { AUTH_ATTEMPTS_PER_ADDRESS: "2" } });
    try {
      expect((await demoSignIn(limited.url, "demo-editor")).status).toBe(302);
      expect((await demoSignIn(limited.url, "demo-editor")).status).toBe(302);
      const res = await demoSignIn(limited.url, "demo-editor");
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await limited.stop();
    }
  });
});

/** Targets a browser would take somewhere else, or that a Location header cannot carry. */
const HOSTILE_REDIRECTS = [
  "/\t/evil.test/x",
  "/\r/evil.test/x",
  "/\n/evil.test/x",
  "/\0/evil.test/x",
  "/teams\r\nSet-Cookie: planted=1",
  "/\\evil.test/x",
  "\\\\evil.test/x",
  "/\\/evil.test/x",
  "/%2F%2Fevil.test/x",
  "%2F%2Fevil.test/x",
  "/%5Cevil.test/x",
  "/%5C%5Cevil.test/x",
  "/%09/evil.test/x",
  "http://evil.test/x",
  "https://evil.test",
  "HTTPS://evil.test",
  "//evil.test/x",
  "///evil.test/x",
  "/.//evil.test/x",
  "/a/..//evil.test/x",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/" + "a".repeat(20_000),
  "",
];

/** A Location that stays on `base`: no characters browsers drop or reinterpret, and the same origin. */
function expectSameOrigin(location: string | null, base: string) {
  expect(location).not.toBeNull();
  // eslint-disable-next-line no-control-regex -- no control character may reach the Location header
  expect(location!).not.toMatch(/[\u0000-\u001f\u007f\\]/);
  expect(location!.startsWith("/")).toBe(true);
  expect(location!.startsWith("//")).toBe(false);
  expect(new URL(location!, base).origin).toBe(new URL(base).origin);
}

describe("redirectTo after sign-in and sign-up stays on this site", () => {
  it.each(HOSTILE_REDIRECTS.map((v) => [JSON.stringify(v).slice(0, 50), v]))("password sign-in with %s", async (_label, redirectTo) => {
    const res = await postForm(server.url, "/login", null, { email: demoUser("editor").email, password: DEMO_PASSWORD, redirectTo });
    expect(res.status).toBe(302);
    expectSameOrigin(res.headers.get("location"), server.url);
    expect(res.headers.get("set-cookie")).toMatch(/^sd_session=/);
    expect(res.headers.get("set-cookie")).not.toContain("planted");
  });

  it("falls back to /teams for every target that is not a plain path", async () => {
    const plainPaths = new Set(["/%2F%2Fevil.test/x", "/%5Cevil.test/x", "/%5C%5Cevil.test/x", "/%09/evil.test/x"]);
    for (const redirectTo of HOSTILE_REDIRECTS.filter((v) => !plainPaths.has(v))) {
      const res = await postForm(server.url, "/login", null, { email: demoUser("editor").email, password: DEMO_PASSWORD, redirectTo });
      expect({ redirectTo, location: res.headers.get("location") }).toEqual({ redirectTo, location: "/teams" });
    }
    // Encoded slashes stay encoded: a path on this site (that happens not to exist), not a host.
    const encoded = await postForm(server.url, "/login", null, { email: demoUser("editor").email, password: DEMO_PASSWORD, redirectTo: "/%2F%2Fevil.test/x" });
    expect(encoded.headers.get("location")).toBe("/%2F%2Fevil.test/x");
  });

  it("keeps a genuine target with its query and hash", async () => {
    const res = await postForm(server.url, "/login", null, {
      email: demoUser("editor").email,
      password: DEMO_PASSWORD,
      redirectTo: "/briefings/ankara-summit?thread=abc#comments",
    });
    expect(res.headers.get("location")).toBe("/briefings/ankara-summit?thread=abc#comments");
  });

  it("checks the target on demo sign-in and sign-up too", async () => {
    for (const [i, redirectTo] of HOSTILE_REDIRECTS.entries()) {
      const demo = await demoSignIn(server.url, "demo-owner", redirectTo);
      expect(demo.status).toBe(302);
      expectSameOrigin(demo.headers.get("location"), server.url);
      const signup = await postForm(server.url, "/signup", null, {
        name: "Redirect Probe",
        email: `redirect-probe-${i}@example.test`,
        password: "long-enough-pw",
        redirectTo,
      });
      expect(signup.status).toBe(302);
      expectSameOrigin(signup.headers.get("location"), server.url);
    }
  });

  it("checks the target when /login and /signup redirect a signed-in visitor", async () => {
    const cookie = await loginAs(server.url, "owner");
    for (const redirectTo of HOSTILE_REDIRECTS.filter((v) => v.length < 1000)) {
      for (const page of ["/login", "/signup"]) {
        const res = await get(server.url, `${page}?redirectTo=${encodeURIComponent(redirectTo)}`, cookie);
        expect(res.status).toBe(302);
        expectSameOrigin(res.headers.get("location"), server.url);
      }
    }
    const genuine = await get(server.url, `/signup?redirectTo=${encodeURIComponent("/teams/demo-kz-tr-desk")}`, cookie);
    expect(genuine.headers.get("location")).toBe("/teams/demo-kz-tr-desk");
  });

  it("never carries a hostile target into the forms and links of the login and sign-up pages", async () => {
    for (const redirectTo of ["//evil.test/x", "/\t/evil.test/x", "https://evil.test", "javascript:alert(1)"]) {
      for (const page of ["/login", "/signup"]) {
        const res = await get(server.url, `${page}?redirectTo=${encodeURIComponent(redirectTo)}`);
        expect(res.status).toBe(200);
        const html = await res.text();
        const attr = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1].replace(/&amp;/g, "&"));
        const links = [...attr(/<a [^>]*href="([^"]*)"/g), ...attr(/<form [^>]*action="([^"]*)"/g)];
        expect(links.length).toBeGreaterThan(0);
        for (const href of links) expect(new URL(href, server.url).origin).toBe(server.url);
        // Links that carry a return target (Create an account, Sign in) carry the checked one.
        for (const href of attr(/<a [^>]*href="([^"]*)"/g)) {
          const carried = new URL(href, server.url).searchParams.get("redirectTo");
          if (carried !== null) expect(carried).toBe("/teams");
        }
        const hidden = attr(/<input [^>]*name="redirectTo" value="([^"]*)"/g);
        expect(hidden.length).toBeGreaterThan(0);
        expect(new Set(hidden)).toEqual(new Set(["/teams"]));
      }
    }
  });
});

describe("PUBLIC_URL is the only own origin when set", () => {
  const publicUrl = "https://desk.example.gov";
  let pub: TestServer;
  beforeAll(async () => {
    pub = await startTestServer({ env: { PUBLIC_URL: publicUrl } });
  });
  afterAll(async () => {
    await pub?.stop();
  });

  /** A form post with headers fetch would not let us forge (Host). */
  function rawPost(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(pub.url);
      const req = http.request(
        { hostname, port, path, method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  const credentials = new URLSearchParams({ email: demoUser("editor").email, password: DEMO_PASSWORD }).toString();

  it("refuses a form post whose forged Host matches its forged Origin", async () => {
    const res = await rawPost("/login", { Host: "evil.test", Origin: "http://evil.test" }, credentials);
    expect(res.status).toBe(403);
    expect(res.text).toContain("Cross-origin request refused");
    // The address the server happens to listen on is not our origin either, once PUBLIC_URL is set.
    const local = await rawPost("/login", { Origin: pub.url }, credentials);
    expect(local.status).toBe(403);
  });

  it("accepts a form post from the configured origin", async () => {
    const res = await rawPost("/login", { Host: "desk.example.gov", Origin: publicUrl }, credentials);
    expect(res.status).toBe(302);
  });

  it("refuses a WebSocket upgrade with a forged Host and Origin, and accepts the configured origin", async () => {
    const cookie = await login(pub.url, demoUser("editor").email);
    const path = "/collab/ankara-summit";
    expect(await upgradeStatus(pub.url, path, { Cookie: cookie, Host: "evil.test", Origin: "http://evil.test" })).toBe(403);
    expect(await upgradeStatus(pub.url, path, { Cookie: cookie, Origin: pub.url })).toBe(403);
    expect(await upgradeStatus(pub.url, path, { Cookie: cookie, Origin: publicUrl })).toBe(101);
  });

  it("without PUBLIC_URL the request Host still decides, as before", async () => {
    const cookie = await login(server.url, demoUser("editor").email);
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: cookie, Origin: server.url })).toBe(101);
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: cookie, Origin: publicUrl })).toBe(403);
  });
});

describe("sign-up does not tell who has an account", () => {
  const NOT_CREATED = "Could not create an account with these details. If you already have an account, sign in.";

  it("answers a taken email with the generic refusal, never that the account exists", async () => {
    for (const email of [demoUser("owner").email, demoUser("owner").email.toUpperCase()]) {
      const res = await postForm(server.url, "/signup", null, { name: "Someone", email, password: "long-enough-pw" });
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
      const html = await res.text();
      expect(html).toContain(NOT_CREATED);
      expect(html).not.toMatch(/already exists/i);
    }
    // The existing account is untouched: its password still signs in.
    expect(await loginAs(server.url, "owner")).toMatch(/^sd_session=/);
    // A free email still gets an account at once.
    const fresh = await postForm(server.url, "/signup", null, { name: "Fresh", email: "fresh-signup@example.test", password: "long-enough-pw" });
    expect(fresh.status).toBe(302);
  });

  it("limits sign-up attempts per email, taken or not, with 429 and Retry-After", async () => {
    const limited = await startTestServer({ env: { AUTH_SIGNUPS_PER_EMAIL: "3" } });
    try {
      const taken = demoUser("viewer").email;
      for (let i = 0; i < 3; i++) {
        expect((await postForm(limited.url, "/signup", null, { name: "Probe", email: taken, password: "long-enough-pw" })).status).toBe(400);
      }
      const blocked = await postForm(limited.url, "/signup", null, { name: "Probe", email: taken.toUpperCase(), password: "long-enough-pw" });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await blocked.text()).toContain("Too many sign-up attempts");

      // A free email is throttled the same way, so the 429 says nothing about the account either.
      const free = "free-but-probed@example.test";
      expect((await postForm(limited.url, "/signup", null, { name: "A", email: free, password: "short" })).status).toBe(400); // format error: not counted
      for (let i = 0; i < 3; i++) {
        await postForm(limited.url, "/signup", null, { name: "A", email: free, password: "long-enough-pw" });
      }
      expect((await postForm(limited.url, "/signup", null, { name: "A", email: free, password: "long-enough-pw" })).status).toBe(429);

      // Another email is not affected.
      expect((await postForm(limited.url, "/signup", null, { name: "B", email: "other@example.test", password: "long-enough-pw" })).status).toBe(302);
    } finally {
      await limited.stop();
    }
  });

  it("limits sign-ups per client address with 429 and Retry-After", async () => {
    const limited = await startTestServer({ env: { AUTH_ATTEMPTS_PER_ADDRESS: "2" } });
    try {
      for (let i = 0; i < 2; i++) {
        expect((await postForm(limited.url, "/signup", null, { name: "C", email: `addr-${i}@example.test`, password: "long-enough-pw" })).status).toBe(302);
      }
      const blocked = await postForm(limited.url, "/signup", null, { name: "C", email: "addr-9@example.test", password: "long-enough-pw" });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await limited.stop();
    }
  });
});

describe("expired sessions are purged", () => {
  function insertSession(databasePath: string, userId: string, expiresAt: number): string {
    const id = crypto.randomBytes(32).toString("hex");
    const db = new Database(databasePath);
    try {
      db.prepare("insert into sessions (id, user_id, created_at, expires_at) values (?, ?, ?, ?)").run(id, userId, Date.now() - 60_000, expiresAt);
    } finally {
      db.close();
    }
    return id;
  }
  const exists = (databasePath: string, id: string) => countRows(databasePath, "select count(*) as n from sessions where id = ?", id) === 1;

  it("on the configured interval, keeping live sessions", async () => {
    const s = await startTestServer({ env: { SESSION_PURGE_INTERVAL_MS: "200" } });
    try {
      const expired = insertSession(s.databasePath, "demo-editor", Date.now() - 1000);
      const live = insertSession(s.databasePath, "demo-editor", Date.now() + 3_600_000);
      expect(exists(s.databasePath, expired)).toBe(true);
      await eventually(() => expect(exists(s.databasePath, expired)).toBe(false), 20_000, 100);
      expect(exists(s.databasePath, live)).toBe(true);
    } finally {
      await s.stop();
    }
  });

  it("once at start", async () => {
    const databasePath = `${tempDir()}/purge-at-start.db`;
    const first = await startTestServer({ databasePath });
    await first.stop();
    const expired = insertSession(databasePath, "demo-owner", Date.now() - 1000);
    const second = await startTestServer({ databasePath });
    try {
      // The default interval is an hour: only the purge at start can have removed it.
      expect(exists(databasePath, expired)).toBe(false);
    } finally {
      await second.stop();
    }
  });
});
