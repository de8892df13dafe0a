import { finalizeCleared, toReview } from "../helpers/review";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { sqliteFileSql } from "../helpers/server-dialects";
import { auditRows } from "./audit-db";

const TEAM = "demo-kz-tr-desk";
const BRIEFING = "ankara-summit";
const MEMBERS = `/teams/${TEAM}/members`;
const EXPORT = `/briefings/${BRIEFING}/export.pdf`;
const ROLES: DemoRole[] = ["owner", "editor", "commenter", "viewer"];
let server: TestServer;
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) cookies[role] = await loginAs(server.url, role);
});
afterAll(async () => {
  await server?.stop();
});

async function setPolicy(policy: string, role: DemoRole = "owner") {
  return postForm(server.url, MEMBERS, cookies[role], { intent: "export-policy", exportPolicy: policy });
}

/** Status of an export by `role`, reading the body so the render finishes before the next one. */
async function exportStatus(role: DemoRole): Promise<{ status: number; text: string }> {
  const res = await get(server.url, EXPORT, cookies[role]);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: res.status === 200 ? body.subarray(0, 5).toString() : body.toString() };
}

describe("the team's export policy", () => {
  it("is set by owners only, checked on the server, and refuses an unknown value", async () => {
    for (const role of ["editor", "commenter", "viewer"] as const) {
      const res = await setPolicy("owners", role);
      expect(res.status).toBe(403);
    }
    const bad = await setPolicy("nobody");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose who may export: everyone, editors or owners.");
    expect(await auditRows(sqliteFileSql(server.databasePath), "action = 'team.settings_change'")).toHaveLength(0);
  });

  it("lets everyone export by default", async () => {
    expect(await exportStatus("viewer")).toMatchObject({ status: 200, text: "%PDF-" });
  });

  it("with `editors` refuses commenters and viewers with 403 saying who may export, and lets editors and owners", async () => {
    expect((await setPolicy("editors")).status).toBe(200);
    for (const role of ["commenter", "viewer"] as const) {
      const refused = await exportStatus(role);
      expect(refused.status).toBe(403);
      expect(refused.text).toBe(`In Kazakhstan–Türkiye desk only editors and owners may export briefings (the team's export policy); you are ${role}.`);
    }
    // A stored version is refused the same way.
    expect((await get(server.url, `${EXPORT}?version=1`, cookies.viewer)).status).toBe(403);
    expect(await exportStatus("editor")).toMatchObject({ status: 200, text: "%PDF-" });
  });

  it("with `owners` refuses editors too", async () => {
    expect((await setPolicy("owners")).status).toBe(200);
    const refused = await exportStatus("editor");
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("only owners may export briefings");
    expect(await exportStatus("owner")).toMatchObject({ status: 200, text: "%PDF-" });
    // Word and Markdown go through the same check.
    for (const format of ["docx", "md"]) {
      const res = await get(server.url, `/briefings/${BRIEFING}/export.${format}`, cookies.editor);
      expect(res.status, format).toBe(403);
      expect(await res.text()).toContain("only owners may export briefings");
    }
  });

  it("records no export that was refused, and each that was made", async () => {
    const exports = (await auditRows(sqliteFileSql(server.databasePath), "action = 'briefing.export'")).map((r) => r.actor_id);
    expect(exports).toEqual(["demo-viewer", "demo-editor", "demo-owner"]);
    expect((await auditRows(sqliteFileSql(server.databasePath), "action = 'team.settings_change'")).map((r) => r.details)).toEqual([
      { setting: "export_policy", from: "everyone", to: "editors" },
      { setting: "export_policy", from: "editors", to: "owners" },
    ]);
  });

  it("hides the export link from those it refuses, on the briefing and the versions pages", async () => {
    const hasLink = async (role: DemoRole, path: string) => (await (await get(server.url, path, cookies[role])).text()).includes("export.pdf");
    // Finalize so the versions pages list a version with its PDF link.
    expect((await postForm(server.url, `/briefings/${BRIEFING}/status`, cookies.editor, toReview())).status).toBe(200);
    expect((await finalizeCleared(server.url, BRIEFING, cookies.editor, cookies.commenter)).status).toBe(200);
    for (const path of [`/briefings/${BRIEFING}`, `/briefings/${BRIEFING}/versions`, `/briefings/${BRIEFING}/versions/1`]) {
      expect(await hasLink("owner", path), path).toBe(true);
      expect(await hasLink("editor", path), path).toBe(false);
      expect(await hasLink("viewer", path), path).toBe(false);
    }
    expect((await setPolicy("everyone")).status).toBe(200);
    expect(await hasLink("viewer", `/briefings/${BRIEFING}`)).toBe(true);
    expect(await hasLink("viewer", `/briefings/${BRIEFING}/versions`)).toBe(true);
  });

  it("shows owners the setting on the members page, and no one else", async () => {
    expect(await (await get(server.url, MEMBERS, cookies.owner)).text()).toContain('name="exportPolicy"');
    expect(await (await get(server.url, MEMBERS, cookies.editor)).text()).not.toContain('name="exportPolicy"');
  });

  it("records Word and Markdown exports with their format, like the PDF", async () => {
    for (const format of ["docx", "md"]) {
      const res = await get(server.url, `/briefings/${BRIEFING}/export.${format}?version=1`, cookies.viewer);
      expect(res.status, format).toBe(200);
      await res.arrayBuffer();
    }
    const rows = (await auditRows(sqliteFileSql(server.databasePath), "action = 'briefing.export'")).slice(-2);
    expect(rows.map((r) => [r.actor_id, (r.details as { format: string }).format, (r.details as { version: unknown }).version])).toEqual([
      ["demo-viewer", "docx", 1],
      ["demo-viewer", "md", 1],
    ]);
    const pdfRow = (await auditRows(sqliteFileSql(server.databasePath), "action = 'briefing.export'")).find((r) => (r.details as { version: unknown }).version === 1);
    expect((rows[0]!.details as { contentHash: string }).contentHash).toMatch(/^[0-9a-f]{64}$/);
    if (pdfRow) expect((rows[0]!.details as { contentHash: string }).contentHash).toBe((pdfRow.details as { contentHash: string }).contentHash);
  });
});
