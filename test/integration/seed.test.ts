import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { startTestServer } from "../helpers/server";

describe("first start", () => {
  it("creates, migrates and seeds the database once; a restart does not seed again", async () => {
    const first = await startTestServer();
    const cookie = await loginAs(first.url, "viewer");
    const page = await (await get(first.url, "/teams/demo-kz-tr-desk", cookie)).text();
    expect(page).toContain("Kazakhstan–Türkiye presidential summit, Ankara");
    expect(await first.stop()).toBe(0);

    const second = await startTestServer({ databasePath: first.databasePath });
    expect(second.logs.some((l) => l.category === "seed")).toBe(false);
    expect(await second.stop()).toBe(0);

    const db = new Database(first.databasePath, { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(count("select count(*) n from teams")).toBe(1);
      expect(count("select count(*) n from users")).toBe(4);
      expect(count("select count(*) n from briefings where id = 'ankara-summit'")).toBe(1);
      expect(count("select count(*) n from document_snapshots where briefing_id = 'ankara-summit'")).toBe(1);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("stays empty with SEED_DEMO=false and still serves sign-up", async () => {
    const server = await startTestServer({ env: { SEED_DEMO: "false" } });
    try {
      expect((await get(server.url, "/healthz")).status).toBe(200);
      const login = await (await get(server.url, "/login")).text();
      expect(login).not.toContain("Try the demo desk");
    } finally {
      await server.stop();
    }
  });

  it("refuses to start with an invalid environment and says which variable is wrong", async () => {
    await expect(startTestServer({ env: { PORT: "not-a-port", LOG_LEVEL: "chatty" } })).rejects.toThrow(/PORT[^]*LOG_LEVEL|LOG_LEVEL[^]*PORT/);
  });
});
