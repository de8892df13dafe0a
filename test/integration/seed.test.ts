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

  it("finishes a seed that stopped between the demo rows and the demo briefing's body", async () => {
    const first = await startTestServer();
    expect(await first.stop()).toBe(0);
    // What a start killed after the seed's transaction and before its body was stored leaves.
    const writable = new Database(first.databasePath);
    writable.exec("delete from document_updates where briefing_id = 'ankara-summit'; delete from document_snapshots where briefing_id = 'ankara-summit'; update briefings set has_content = 0 where id = 'ankara-summit'");
    writable.close();

    const second = await startTestServer({ databasePath: first.databasePath });
    try {
      expect(second.logs.some((l) => l.category === "seed" && /interrupted seed/.test(String(l.message)))).toBe(true);
      const cookie = await loginAs(second.url, "viewer");
      const exported = await get(second.url, "/briefings/ankara-summit/export.md", cookie);
      expect(exported.status).toBe(200);
      expect(await exported.text()).toContain("Key statements");
    } finally {
      expect(await second.stop()).toBe(0);
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
