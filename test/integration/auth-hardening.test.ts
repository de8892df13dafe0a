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
