import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, metricValue, upgradeStatus } from "../helpers/yclient";

/**
 * The upgrade reuses a session and membership checked moments ago (COLLAB_ADMISSION_CACHE_MS).
 * Here the cache keeps entries for a minute, so anything an access change fails to forget would
 * still be admitted during the test: every refusal below comes from the invalidation, not expiry.
 */

const TEAM = "demo-kz-tr-desk";
const TOKEN = "admission-cache-metrics";
const PATH = "/collab/ankara-summit";
let server: TestServer;
let owner: string;
beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_ADMISSION_CACHE_MS: "60000", METRICS_TOKEN: TOKEN } });
  owner = await loginAs(server.url, "owner");
});
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

const hits = (kind: string) => metricValue(server.url, TOKEN, "summit_collab_admission_cache_hits_total", `{kind="${kind}"}`);
const upgrade = (cookie: string) => upgradeStatus(server.url, PATH, { Cookie: cookie, Origin: server.url });

describe("admission cache", () => {
  it("reuses a session checked moments ago for the next socket", async () => {
    const cookie = await loginAs(server.url, "viewer");
    const before = await hits("session");
    await connectClient(server.url, cookie);
    await connectClient(server.url, cookie);
    expect(await upgrade(cookie)).toBe(101);
    expect(await hits("session")).toBeGreaterThanOrEqual(before + 2);
    expect(await hits("access")).toBeGreaterThanOrEqual(2);
  });

  it("signing out over HTTP closes the session's sockets and refuses its next upgrade at once", async () => {
    const cookie = await loginAs(server.url, "commenter");
    const other = await loginAs(server.url, "commenter");
    const a = await connectClient(server.url, cookie);
    expect(await upgrade(cookie)).toBe(101);
    expect(await upgrade(other)).toBe(101);
    const cached = await hits("session");
    expect(await upgrade(cookie)).toBe(101);
    expect(await hits("session")).toBe(cached + 1); // the next upgrade would come from the cache

    expect((await postForm(server.url, "/logout", cookie, {})).status).toBe(302);
    // The logout answered after the publish: the very next upgrade is refused, no waiting.
    expect(await upgrade(cookie)).toBe(401);
    await eventually(() => expect(a.closes).toEqual([{ code: 4401, reason: "session ended: sign in again" }]));
    expect(await upgrade(cookie)).toBe(401);
    // Another session of the same person is untouched.
    expect(await upgrade(other)).toBe(101);
  });

  it("a member removed from the team is refused at once although their membership was cached", async () => {
    const cookie = await loginAs(server.url, "viewer");
    const viewer = await connectClient(server.url, cookie);
    expect(await upgrade(cookie)).toBe(101);
    const cached = await hits("access");
    expect(await upgrade(cookie)).toBe(101);
    expect(await hits("access")).toBe(cached + 1);

    expect((await postForm(server.url, `/teams/${TEAM}/members`, owner, { intent: "remove", userId: "demo-viewer" })).status).toBe(200);
    expect(await upgrade(cookie)).toBe(403);
    await eventually(() => expect(viewer.closes.map((c) => c.code)).toEqual([4403]));
  });
});
