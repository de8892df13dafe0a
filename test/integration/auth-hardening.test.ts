import crypto from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed";
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
