import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createSqliteDocumentStore, DocumentWriteRefusedError } from "../../server/persistence/document-store";
import { DEMO_BRIEFING_ID, seedDemo } from "../../server/seed/demo";
import { openSqliteStore } from "../../db/store";
import { loginAs, postForm } from "../helpers/http";
import { startTestServer, tempDir, type TestServer } from "../helpers/server";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const SOURCE_DIRS = ["app", "server", "db", "extensions", "scripts"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "migrations" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

// Checksums (docs/decisions/0105) and a networked store later (0106) both rely on one writer.
describe("writers of stored documents", () => {
  it("only the document stores (SQLite and PostgreSQL) write document_snapshots or document_updates", () => {
    const write = /\b(insert\s+into|update|delete\s+from)\s+["`]?(document_snapshots|document_updates)\b|\.(insert|update|delete)\(\s*(documentSnapshots|documentUpdates)\b/i;
    const writers = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)))
      .filter((file) => write.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(ROOT, file));
    // The start-up checksum backfill fills a column migration 0003 added; it writes no document.
    expect(writers.filter((f) => f !== "db/backfill-checksums.ts").sort()).toEqual(["server/persistence/document-store.ts", "server/persistence/pg-document-store.ts"]);
  });

  it("the store's create writes a first body and never one over a stored document", async () => {
    const db = openDatabase(path.join(tempDir(), "writers.db"));
    try {
      migrateDatabase(db);
      await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
      const store = createSqliteDocumentStore(db);
      const before = await store.load(DEMO_BRIEFING_ID);
      const other = new Y.Doc();
      other.getText("t").insert(0, "over it");
      await expect(store.create(DEMO_BRIEFING_ID, Y.encodeStateAsUpdate(other))).rejects.toBeInstanceOf(DocumentWriteRefusedError);
      await expect(store.create("no-such-briefing", Y.encodeStateAsUpdate(other))).rejects.toThrow(/does not exist/);
      expect((await store.load(DEMO_BRIEFING_ID)).updates).toEqual(before.updates);
    } finally {
      db.$client.close();
    }
  });
});

describe("creating a briefing when its body cannot be stored", { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 503 with a message and leaves no briefing without a body behind", async () => {
    const cookie = await loginAs(server.url, "editor");
    // A second connection to the server's database refuses new snapshots, as a full disk would.
    const side = new Database(server.databasePath);
    side.exec("create trigger refuse_snapshots before insert on document_snapshots begin select raise(abort, 'disk full'); end");
    try {
      const res = await postForm(server.url, "/teams/demo-kz-tr-desk?index", cookie, {
        intent: "create",
        title: "Unstorable briefing",
        summitName: "Nowhere summit",
        city: "Astana",
        startDate: "2027-02-01",
        endDate: "2027-02-02",
        classification: "RESTRICTED",
      });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain("could not be stored");
      expect(side.prepare("select count(*) as n from briefings where title = ?").get("Unstorable briefing")).toEqual({ n: 0 });
    } finally {
      side.exec("drop trigger refuse_snapshots");
      side.close();
    }
    const ok = await postForm(server.url, "/teams/demo-kz-tr-desk?index", cookie, {
      intent: "create",
      title: "Stored briefing",
      summitName: "Somewhere summit",
      city: "Astana",
      startDate: "2027-02-01",
      endDate: "2027-02-02",
      classification: "RESTRICTED",
    });
    expect(ok.status).toBe(302);
  });
});
