import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs, postForm } from "../helpers/http";
import { serverEntry, startTestServer, type TestServer } from "../helpers/server";

// A history thread starts on the first history job of a briefing or its History page (ADR 0110),
// and the first compare after a server start waits for it. Only a version's view needs the editor
// schema (Tiptap) and React: the compiled thread loads them with that job, not when it starts.
const dir = path.dirname(serverEntry());
const worker = fs.readFileSync(path.join(dir, "history-worker.js"), "utf8");

/** The packages a bundle imports statically: every one is loaded before its first line runs. */
const staticImports = (code: string) => [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)";?$/gm)].map((m) => m[1]);

describe("the compiled history thread", () => {
  it("starts without Tiptap or React: they are in the chunk a version's view imports", () => {
    const packages = staticImports(worker);
    expect(packages).toContain("yjs");
    expect(packages.filter((p) => /^(@tiptap\/|react|react-dom)/.test(p))).toEqual([]);
    const chunk = worker.match(/import\("\.\/(history-worker-chunks\/view-[\w-]+\.js)"\)/)?.[1];
    expect(chunk, "the view is imported when it is asked for").toBeDefined();
    const view = fs.readFileSync(path.join(dir, chunk!), "utf8");
    expect(view).toContain("// server/history/view.ts");
    expect(staticImports(view)).toEqual(expect.arrayContaining(["@tiptap/core", "react-dom/server"]));
  });
});

describe("a version's view in a thread started without it", () => {
  const BRIEFING = "ankara-summit";
  const HISTORY = `/briefings/${BRIEFING}/history`;
  const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { HISTORY_INTERVAL_MS: "600000" } });
    cookie = await loginAs(server.url, "editor");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("is rendered once the thread loaded the chunk, after a comparison ran on that thread", async () => {
    const save = async (name: string) => {
      const res = await postForm(server.url, HISTORY + INDEX_DATA, cookie, { intent: "save", name });
      expect(res.status).toBe(200);
      return ((await res.json()) as { version: number }).version;
    };
    const first = await save("First");
    const second = await save("Second");
    expect((await get(server.url, `${HISTORY}/compare.json?a=${first}&b=${second}`, cookie)).status).toBe(200);
    const res = await get(server.url, `${HISTORY}/${second}/body.html`, cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    // The demo briefing's own words, rendered by the view's React components.
    expect(html).toContain("Ankara");
    expect(html).toMatch(/<(p|h2)[\s>]/);
  });
});
