import fs from "node:fs";
import Database from "better-sqlite3";
import JSZip from "jszip";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { richDocx } from "../import/docx-fixtures";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph, metricValue } from "../helpers/yclient";

// Each worker thread is a V8 heap of its own (20–30 MB): none may run on a server nobody uses
// (docs/decisions/0117). A thread starts with its first job, still does that job, and ends once
// idle. Threads are counted in /proc/<pid>/task, which is what the kernel says the process holds.
const TOKEN = "idle-threads-metrics";
const BRIEFING = "ankara-summit";
const TEAM = "demo-kz-tr-desk";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const threadsOf = (server: TestServer) => fs.readdirSync(`/proc/${server.process.pid}/task`).length;
const logged = (server: TestServer, message: string) => server.logs.filter((l) => l.message === message).length;

/** The thread count once it has held still for a while: nothing is starting or ending. */
async function settledThreads(server: TestServer): Promise<number> {
  let last = threadsOf(server);
  let since = performance.now();
  await eventually(() => {
    const now = threadsOf(server);
    if (now !== last) {
      last = now;
      since = performance.now();
    }
    expect(performance.now() - since).toBeGreaterThan(1000);
  }, 30_000, 100);
  return last;
}

afterEach(() => destroyAllClients());

describe("worker threads of a server at rest", () => {
  let server: TestServer;
  let sqlite: Database.Database;
  let editor: string;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        METRICS_TOKEN: TOKEN,
        LOG_LEVEL: "debug",
        // Far longer than the test: the thread must end because the backfill is over, not because it idled.
        PROJECTION_WORKER_IDLE_MS: "600000",
        DOCX_WORKER_IDLE_MS: "3000",
      },
    });
    sqlite = new Database(server.databasePath, { readonly: true, fileMustExist: true });
    // Signing in runs scrypt, which starts libuv's thread pool: part of the count from here on.
    editor = await loginAs(server.url, "editor");
  }, 60_000);
  afterAll(async () => {
    sqlite?.close();
    await server?.stop();
  });
  const metric = (name: string) => metricValue(server.url, TOKEN, name);
  const searchHits = (term: string) =>
    (sqlite.prepare("select briefing_id from briefing_search where briefing_search match ?").all(`"${term}"`) as { briefing_id: string }[]).map((r) => r.briefing_id);

  it("ends the projection thread once the start-up backfill is projected", async () => {
    await eventually(() => expect(searchHits("Cavusoglu")).toEqual([BRIEFING]), 20_000);
    await eventually(async () => {
      expect(await metric("summit_projection_worker_starts_total")).toBe(1);
      expect(await metric("summit_projection_worker_running")).toBe(0);
    }, 20_000);
    expect(await metric("summit_projection_worker_exits_total")).toBe(0);
  });

  it("starts the Word export thread with the first export, and ends it when idle", async () => {
    const before = await settledThreads(server);
    const res = await get(server.url, `/briefings/${BRIEFING}/export.docx`, editor);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain(DOCX);
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    expect(await zip.file("word/document.xml")!.async("string")).toContain("Ankara");
    // Three seconds of idle time left: the thread is still there, and it is the only new one.
    expect(threadsOf(server)).toBe(before + 1);

    await eventually(() => expect(logged(server, "idle: document export thread stopped")).toBe(1), 30_000);
    await eventually(() => expect(threadsOf(server)).toBe(before), 30_000);

    // The next export starts a fresh thread and is answered as the first was.
    const again = await get(server.url, `/briefings/${BRIEFING}/export.md`, editor);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Ankara");
    expect(logged(server, "document export thread exited")).toBe(0);
  });

  it("starts the projection thread again for the first edit, which is projected", async () => {
    const client = await connectClient(server.url, editor);
    firstParagraph(client.doc).insert(0, "Zhezkazgan ");
    await eventually(() => expect(searchHits("Zhezkazgan")).toEqual([BRIEFING]), 20_000);
    expect(await metric("summit_projection_worker_starts_total")).toBe(2);
    expect(await metric("summit_projection_worker_exits_total")).toBe(0);
  });
});

describe("Word import threads", () => {
  let server: TestServer;
  let editor: string;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        LOG_LEVEL: "debug",
        IMPORT_WORKER_IDLE_MS: "1500",
        // A new briefing is projected and versioned in threads of their own; let those end quickly too.
        PROJECTION_WORKER_IDLE_MS: "200",
        HISTORY_WORKER_IDLE_MS: "200",
      },
    });
    editor = await loginAs(server.url, "editor");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  function importDocx(file: Buffer, title: string) {
    const form = new FormData();
    const fields = { title, summitName: "KZ–TR foreign ministers", city: "Astana", startDate: "2027-03-01", endDate: "2027-03-02", classification: "RESTRICTED", start: "word" };
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("file", new Blob([new Uint8Array(file)], { type: DOCX }), "brief.docx");
    return fetch(`${server.url}/teams/${TEAM}/new`, { method: "POST", headers: { Cookie: editor, Origin: server.url }, body: form, redirect: "manual" });
  }

  it("ends an idle conversion thread, and the next import starts one and converts", async () => {
    const before = await settledThreads(server);
    const docx = await richDocx();
    const first = await importDocx(docx, "Imported once");
    expect(first.status).toBe(302);

    await eventually(() => expect(logged(server, "idle: conversion thread stopped")).toBe(1), 30_000);
    // Nothing the import started is left. At most: on a loaded machine the start-up backfill's
    // projection thread may still have been running when `before` was counted, and end meanwhile.
    expect(await settledThreads(server)).toBeLessThanOrEqual(before);

    const second = await importDocx(docx, "Imported again");
    expect(second.status).toBe(302);
    const id = second.headers.get("location")!.replace(/^\/briefings\//, "");
    const page = await get(server.url, `/briefings/${id}`, editor);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Imported again");
    expect(logged(server, "document converted")).toBe(2);
  });
});
