import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { get, loginAs, type DemoRole } from "../helpers/http";
import { buildLargeHistory, HISTORY, LARGE_HISTORY_ENV } from "../helpers/large-history";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, destroyAllClients, eventually } from "../helpers/yclient";


let server: TestServer;
const cookies: Partial<Record<DemoRole, string>> = {};

beforeAll(async () => {
  server = await startTestServer({
    env: {
      ...LARGE_HISTORY_ENV,
      // Every compare rebuilds both versions: the cache is too small to hold one.
      HISTORY_CACHE_MB: "1",
    },
  });
  for (const role of ["owner", "editor", "viewer"] as const) cookies[role] = await loginAs(server.url, role);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
// The large history's clients stay for every test of the file.
afterAll(() => destroyAllClients());

describe("compare off the event loop", () => {
  it("delivers live edits to another client while large comparisons run", async () => {
    const { from, to, typist, reader } = await buildLargeHistory(server, cookies);

    // The typist and the reader on a small paragraph of their own at the top.
    const line = new Y.XmlElement("paragraph");
    line.insert(0, [new Y.XmlText("LIVE:")]);
    body(typist.doc).insert(0, [line]);
    const readerLine = () => {
      const first = body(reader.doc).get(0);
      return first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText ? (first.get(0) as Y.XmlText).toString() : "";
    };
    await eventually(() => expect(readerLine()).toContain("LIVE:"), 15_000);
    const sent = new Map<string, number>();
    const delays: number[] = [];
    reader.doc.on("update", () => {
      const s = readerLine();
      for (const [marker, at] of sent) {
        if (s.includes(marker)) {
          delays.push(performance.now() - at);
          sent.delete(marker);
        }
      }
    });
    let stop = false;
    let n = 0;
    const typing = (async () => {
      while (!stop) {
        const marker = `[${n++}]`;
        sent.set(marker, performance.now());
        const t = line.get(0) as Y.XmlText;
        t.insert(t.length, marker);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // Cold comparisons of the two large versions, one after another, each timed from the client.
    const compareMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await get(server.url, `${HISTORY}/compare.json?a=${from}&b=${to}`, cookies.viewer!);
      expect(res.status).toBe(200);
      const json = (await res.json()) as { comparison: { blocks: { segments: { op: string }[] }[] } };
      expect(json.comparison.blocks.some((b) => b.segments.some((s) => s.op === "ins"))).toBe(true);
      compareMs.push(performance.now() - t0);
    }
    stop = true;
    await typing;
    await eventually(() => expect(sent.size).toBe(0), 15_000);

    // Relative, so a busy machine slows both sides alike: on the event loop, an edit sent as a compare
    // starts waits for the whole compare; off it, edits keep flowing while each compare runs.
    const longestCompare = Math.max(...compareMs);
    const worstDelay = Math.max(...delays);
    expect(delays.length).toBeGreaterThan(10);
    expect(worstDelay, `compares took ${compareMs.map(Math.round).join(", ")} ms; worst edit delay ${Math.round(worstDelay)} ms`).toBeLessThan(longestCompare / 2);
  }, 240_000);
});
