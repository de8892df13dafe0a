import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { metricValue } from "../helpers/yclient";

const TOKEN = "metrics-test-token";
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(async () => {
  await server?.stop();
});

describe("export metrics", () => {
  it("counts PDF exports and their duration by outcome on /metrics", async () => {
    const cookie = await loginAs(server.url, "viewer");
    const res = await get(server.url, "/briefings/ankara-summit/export.pdf", cookie);
    expect(res.status).toBe(200);
    expect(await metricValue(server.url, TOKEN, "summit_pdf_export_seconds_count", '{outcome="ok"}')).toBe(1);
    expect(await metricValue(server.url, TOKEN, "summit_pdf_export_seconds_sum", '{outcome="ok"}')).toBeGreaterThan(0);
  });
});
