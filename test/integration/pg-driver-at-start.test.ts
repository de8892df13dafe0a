import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { createPostgresDatabase, postgresAvailable } from "../helpers/postgres";
import { startTestServer, tempDir, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";

// The PostgreSQL driver (pg and Drizzle's node-postgres) is evaluated only by a server that runs on
// PostgreSQL (db/pg/driver.ts, docs/decisions/0124). A preloaded fixture reports the packages whose
// CommonJS files the real, compiled server evaluated; pg is CommonJS, so it shows there if loaded.
const fixture = fileURLToPath(new URL("../fixtures/report-loaded-packages.mjs", import.meta.url));
const PG_PACKAGES = ["pg", "pg-pool", "pg-protocol", "pg-types"];
const available = postgresAvailable();

let server: TestServer | undefined;
afterEach(async () => {
  destroyAllClients();
  await server?.stop();
  server = undefined;
});

async function loadedPackages(s: TestServer): Promise<string[]> {
  const before = s.logs.length;
  s.process.kill("SIGUSR2");
  let packages: string[] = [];
  await eventually(() => {
    const line = s.logs.slice(before).find((l) => l.message === "loaded packages");
    expect(line).toBeDefined();
    packages = line!.packages as string[];
  }, 10_000);
  return packages;
}

/** Signs in, opens the seeded briefing page and edits it live: the server works on its database. */
async function useIt(s: TestServer): Promise<void> {
  const editor = await loginAs(s.url, "editor");
  expect((await get(s.url, "/briefings/ankara-summit", editor)).status).toBe(200);
  const writer = await connectClient(s.url, editor);
  const reader = await connectClient(s.url, await loginAs(s.url, "viewer"));
  firstParagraph(writer.doc).insert(0, "Driver check: ");
  await eventually(() => expect(firstParagraph(reader.doc).toString()).toMatch(/^Driver check: /), 10_000);
}

describe("the PostgreSQL driver at start", () => {
  it("is not evaluated by a server on SQLite, before or after real use", async () => {
    server = await startTestServer({ databasePath: path.join(tempDir(), "sqlite-only.db"), execArgv: ["--import", fixture] });
    const atStart = await loadedPackages(server);
    // The probe sees the server's CommonJS packages (better-sqlite3 is one), so an empty list is no pass.
    expect(atStart).toContain("better-sqlite3");
    expect(atStart.filter((p) => PG_PACKAGES.includes(p))).toEqual([]);
    await useIt(server);
    expect((await loadedPackages(server)).filter((p) => PG_PACKAGES.includes(p))).toEqual([]);
  }, 90_000);

  describe.skipIf(!available)("on PostgreSQL", () => {
    it("is loaded at start and the server migrates, seeds and edits live", async () => {
      const database = await createPostgresDatabase();
      server = await startTestServer({ databaseUrl: database.url, execArgv: ["--import", fixture] });
      expect(await loadedPackages(server)).toEqual(expect.arrayContaining(PG_PACKAGES));
      await useIt(server);
    }, 90_000);
  });
});
