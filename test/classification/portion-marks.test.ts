import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { auditRows } from "../audit/audit-db";
import { sqliteFileSql } from "../helpers/server-dialects";
import { flat, pdfPages, pdfText } from "../export/pdf-tools";
import { finalizeCleared, toReview } from "../helpers/review";
import { get, loginAs, postForm, type DemoRole } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";

const TEAM = "demo-kz-tr-desk";
const BRIEFING = "ankara-summit";
const ROLES: DemoRole[] = ["owner", "editor", "commenter", "viewer"];
let server: TestServer;
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  server = await startTestServer({ env: { PDF_WORKERS: "1", PROJECTION_DEBOUNCE_MS: "50" } });
  for (const role of ROLES) cookies[role] = await loginAs(server.url, role);
});
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

function query<T>(sql: string, ...args: unknown[]): T | undefined {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return db.prepare(sql).pluck().get(...args) as T | undefined;
  } finally {
    db.close();
  }
}

const LONG = "The delegations reviewed transit corridors, tariffs and the energy agenda in detail. ".repeat(6);
const para = (i: number, mark?: string) => ({
  type: "paragraph",
  attrs: mark === undefined ? {} : { portionMark: mark },
  content: [{ type: "text", text: `Paragraph ${i}. ${LONG}` }],
});

/** Replaces the body of the briefing the client is on with `content` (ProseMirror JSON). */
function replaceBody(client: YClient, content: unknown[]) {
  const fragment = body(client.doc);
  client.doc.transact(() => fragment.delete(0, fragment.length));
  const fresh = prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content }, COLLAB_FIELD);
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(fresh));
  fresh.destroy();
}

/** The level the briefings list shows for a briefing (the list loader's data). */
async function listedLevel(briefingId: string): Promise<string> {
  const res = await get(server.url, `/teams/${TEAM}?_data=${encodeURIComponent("routes/teams.$teamId._index")}`, cookies.viewer);
  expect(res.status).toBe(200);
  const data = (await res.json()) as { briefings: { id: string; classification: string }[] };
  return data.briefings.find((b) => b.id === briefingId)!.classification;
}

const levelsForm = (role: DemoRole, levels: string) =>
  postForm(server.url, `/teams/${TEAM}/members`, cookies[role], { intent: "classification-levels", levels });
const reclassify = (role: DemoRole, fields: Record<string, string>, briefingId = BRIEFING) =>
  postForm(server.url, `/briefings/${briefingId}/reclassify`, cookies[role], fields);

describe("team classification levels", () => {
  it("default to U, R, C, S and are shown to owners only on the members page", async () => {
    const owner = await (await get(server.url, `/teams/${TEAM}/members`, cookies.owner)).text();
    expect(owner).toContain("UNCLASSIFIED (U)\nRESTRICTED (R)\nCONFIDENTIAL (C)\nSECRET (S)");
    const editor = await (await get(server.url, `/teams/${TEAM}/members`, cookies.editor)).text();
    expect(editor).not.toContain('name="levels"');
  });

  it("are changed by owners only; a malformed list is refused with 400 saying why", async () => {
    for (const role of ["editor", "commenter", "viewer"] as const) expect((await levelsForm(role, "A (A)\nB (B)")).status).toBe(403);
    const dup = await levelsForm("owner", "UNCLASSIFIED (U)\nRESTRICTED (U)");
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain("The abbreviation U is given twice.");
    const one = await levelsForm("owner", "UNCLASSIFIED (U)");
    expect(one.status).toBe(400);
    expect(await one.text()).toContain("Give between 2 and 10 levels.");
    const junk = await levelsForm("owner", "UNCLASSIFIED (U)\n<script> (X)");
    expect(junk.status).toBe(400);
    expect(query<string>("select classification_levels from teams where id = ?", TEAM)).toContain('"SECRET"');
  });

  it("are stored in order with an audit row, and the settings page shows the new list", async () => {
    const res = await levelsForm("owner", "unclassified (u)\nRESTRICTED (R)\nCONFIDENTIAL (C)\nSECRET (S)\nTOP SECRET (TS)");
    expect(res.status).toBe(200);
    expect(JSON.parse(query<string>("select classification_levels from teams where id = ?", TEAM)!)).toEqual([
      { name: "UNCLASSIFIED", abbr: "U" },
      { name: "RESTRICTED", abbr: "R" },
      { name: "CONFIDENTIAL", abbr: "C" },
      { name: "SECRET", abbr: "S" },
      { name: "TOP SECRET", abbr: "TS" },
    ]);
    const row = (await auditRows(sqliteFileSql(server.databasePath), "action = 'team.settings_change'")).at(-1)!;
    expect(row.details).toMatchObject({ setting: "classification_levels", to: expect.arrayContaining(["TOP SECRET (TS)"]) });
    expect(await (await get(server.url, `/teams/${TEAM}/members`, cookies.owner)).text()).toContain("SECRET (S)\nTOP SECRET (TS)");
  });
});

describe("a new briefing's minimum level", () => {
  const details = { intent: "create", title: "Level check", summitName: "S", city: "Astana", startDate: "2027-01-01", endDate: "2027-01-01" };

  it("is one of the team's levels, its own added ones included; another is refused with 400", async () => {
    const refused = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { ...details, classification: "COSMIC" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/Choose a classification. The team(&#x27;|')s levels are UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET./);
    const made = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, { ...details, classification: "TOP SECRET" });
    expect(made.status).toBe(302);
    const id = made.headers.get("location")!.split("/").pop()!;
    expect(query<string>("select classification from briefings where id = ?", id)).toBe("TOP SECRET");
    expect(await listedLevel(id)).toBe("TOP SECRET");
  });
});

describe("the brief's level, computed on the server from the stored document", () => {
  it("is the minimum level until a block is marked higher, in the briefings list too", async () => {
    expect(query<string>("select portion_marks from briefings where id = ?", BRIEFING)).toBe("[]");
    expect(await listedLevel(BRIEFING)).toBe("RESTRICTED");
  });

  it("follows the highest portion mark, ignores a lower one and a malformed one, and drops back when removed", async () => {
    const editor = await connectClient(server.url, cookies.editor);
    const paragraphs = () => body(editor.doc).toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "paragraph");
    // A hostile client writes junk: it is no level, so nothing changes.
    paragraphs()[0].setAttribute("portionMark", "<b>SECRET</b>");
    paragraphs()[1].setAttribute("portionMark", "UNCLASSIFIED");
    await eventually(() => expect(JSON.parse(query<string>("select portion_marks from briefings where id = ?", BRIEFING)!)).toEqual(["UNCLASSIFIED"]), 20_000);
    expect(await listedLevel(BRIEFING)).toBe("RESTRICTED");

    paragraphs()[1].setAttribute("portionMark", "CONFIDENTIAL");
    await eventually(async () => expect(await listedLevel(BRIEFING)).toBe("CONFIDENTIAL"), 20_000);
    // The editor page's header starts from the same server value.
    const page = await (await get(server.url, `/briefings/${BRIEFING}`, cookies.viewer)).text();
    expect(page).toMatch(/data-testid="classification-banner"[^>]*>CONFIDENTIAL</);

    paragraphs()[1].removeAttribute("portionMark");
    await eventually(async () => expect(await listedLevel(BRIEFING)).toBe("RESTRICTED"), 20_000);
  });
});

describe("exports", () => {
  let pdf: Buffer;
  let confidentialPage = 0;

  beforeAll(async () => {
    const editor = await connectClient(server.url, cookies.editor);
    const content: unknown[] = [{ type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "Background" }] }];
    for (let i = 1; i <= 60; i++) content.push(para(i, i === 33 ? "CONFIDENTIAL" : undefined));
    content.push({
      type: "bulletList",
      content: [{ type: "listItem", attrs: { portionMark: "RESTRICTED" }, content: [{ type: "paragraph", content: [{ type: "text", text: "A restricted list item" }] }] }],
    });
    replaceBody(editor, content);
    await eventually(() => expect(JSON.parse(query<string>("select portion_marks from briefings where id = ?", BRIEFING)!)).toContain("CONFIDENTIAL"), 20_000);
    const res = await get(server.url, `/briefings/${BRIEFING}/export.pdf`, cookies.viewer);
    expect(res.status).toBe(200);
    pdf = Buffer.from(await res.arrayBuffer());
    const pages = pdfPages(pdf);
    for (let p = 1; p <= pages; p++) if (flat(pdfText(pdf, { page: p })).replace(/\s+/g, "").includes("(C)Paragraph33.")) confidentialPage = p;
  }, 120_000);

  /** The level names on one page, letter-spaced banners joined up. */
  const levelsOn = (page: number) => new Set(pdfText(pdf, { page }).replace(/\s+/g, "").match(/UNCLASSIFIED|RESTRICTED|CONFIDENTIAL|TOPSECRET|SECRET/g) ?? []);

  it("mark each PDF page with the highest level on it: CONFIDENTIAL only where the paragraph is, and on the cover and last page", () => {
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThan(8);
    expect(confidentialPage).toBeGreaterThan(2);
    expect(confidentialPage).toBeLessThan(pages);
    expect(levelsOn(confidentialPage)).toEqual(new Set(["CONFIDENTIAL"]));
    // Header and footer both carry it on that page.
    expect(pdfText(pdf, { page: confidentialPage }).replace(/\s+/g, "").match(/CONFIDENTIAL/g)).toHaveLength(2);
    expect(levelsOn(1)).toEqual(new Set(["CONFIDENTIAL"]));
    expect(levelsOn(pages)).toEqual(new Set(["CONFIDENTIAL"]));
    for (let p = 2; p < pages; p++) {
      if (p !== confidentialPage) expect(levelsOn(p), `page ${p}`).toEqual(new Set(["RESTRICTED"]));
    }
  });

  it("put the overall level in every Word header and the marks at the start of their paragraphs, and in Markdown", async () => {
    const res = await get(server.url, `/briefings/${BRIEFING}/export.docx`, cookies.viewer);
    expect(res.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-class-"));
    try {
      const file = path.join(dir, "brief.docx");
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const xml = (part: string) => execFileSync("unzip", ["-p", file, part], { encoding: "utf8" });
      const listing = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).split("\n").filter((n) => /^word\/header\d*\.xml$/.test(n));
      expect(listing.length).toBeGreaterThan(0);
      for (const header of listing) expect(xml(header).replace(/<[^>]+>/g, "")).toContain("CONFIDENTIAL");
      const text = xml("word/document.xml").replace(/<[^>]+>/g, "");
      expect(text).toContain("(C) Paragraph 33.");
      expect(text).toContain("(R) A restricted list item");
      expect(text).not.toContain("(C) Paragraph 32.");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const md = await (await get(server.url, `/briefings/${BRIEFING}/export.md`, cookies.viewer)).text();
    expect(md.startsWith("**CONFIDENTIAL**")).toBe(true);
    expect(md).toContain("**(C)** Paragraph 33.");
  });

  it("mark every page a long marked block runs across, its middle pages included", async () => {
    const editor = await connectClient(server.url, cookies.editor);
    const inner = Array.from({ length: 30 }, (_, i) => ({ type: "paragraph", content: [{ type: "text", text: `Quoted ${i + 1}. ${LONG}` }] }));
    const content: unknown[] = [];
    for (let i = 1; i <= 12; i++) content.push(para(i));
    content.push({ type: "blockquote", attrs: { portionMark: "SECRET" }, content: inner });
    for (let i = 13; i <= 24; i++) content.push(para(i));
    replaceBody(editor, content);
    await eventually(() => expect(JSON.parse(query<string>("select portion_marks from briefings where id = ?", BRIEFING)!)).toContain("SECRET"), 20_000);
    const res = await get(server.url, `/briefings/${BRIEFING}/export.pdf`, cookies.viewer);
    expect(res.status).toBe(200);
    const long = Buffer.from(await res.arrayBuffer());
    const pages = pdfPages(long);
    const text = (p: number) => flat(pdfText(long, { page: p })).replace(/\s+/g, "");
    const quoted = Array.from({ length: pages }, (_, i) => i + 1).filter((p) => /Quoted\d+\./.test(text(p)));
    // The quote runs over at least three pages, so at least one page has neither its start nor its end.
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const p of quoted) expect(text(p).match(/SECRET/g), `page ${p}`).toHaveLength(2);
    // Pages away from the quote keep the lower level (the page just before it may hold its start tag).
    const plain = Array.from({ length: pages }, (_, i) => i + 1).filter((p) => p !== 1 && p !== pages && p !== quoted[0] - 1 && !quoted.includes(p));
    expect(plain.length).toBeGreaterThan(0);
    for (const p of plain) expect(text(p), `page ${p}`).not.toContain("SECRET");
    // Back to a body whose highest mark is CONFIDENTIAL, as the reclassification tests expect.
    replaceBody(editor, [para(1), para(2, "CONFIDENTIAL")]);
    await eventually(() => expect(JSON.parse(query<string>("select portion_marks from briefings where id = ?", BRIEFING)!)).toEqual(["CONFIDENTIAL"]), 20_000);
    editor.destroy();
  }, 120_000);
});

describe("reclassification", () => {
  it("is for owners only, needs a known level and a reason", async () => {
    for (const role of ["editor", "commenter", "viewer"] as const) {
      expect((await reclassify(role, { to: "SECRET", reason: "Sources" })).status).toBe(403);
    }
    const noReason = await reclassify("owner", { to: "SECRET", reason: "   " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("a reason is required");
    const unknown = await reclassify("owner", { to: "COSMIC", reason: "Sources" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Choose one of the team's levels");
    expect(query<number>("select count(*) from briefing_markings")).toBe(0);
    expect(await auditRows(sqliteFileSql(server.databasePath), "action = 'briefing.reclassified'")).toHaveLength(0);
  });

  it("raises the minimum level, also after final, as marking versions shown on the versions page with audit rows", async () => {
    const up = await reclassify("owner", { to: "SECRET", reason: "Names a source" });
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, version: 1, from: "RESTRICTED", to: "SECRET" });
    expect(await listedLevel(BRIEFING)).toBe("SECRET");

    expect((await postForm(server.url, `/briefings/${BRIEFING}/status`, cookies.owner, toReview())).status).toBe(200);
    expect((await finalizeCleared(server.url, BRIEFING, cookies.owner, cookies.commenter)).status).toBe(200);
    const hashBefore = query<string>("select content_hash from briefing_versions where briefing_id = ? order by version desc limit 1", BRIEFING);
    const versionsBefore = query<number>("select count(*) from briefing_versions where briefing_id = ?", BRIEFING);

    const down = await reclassify("owner", { to: "CONFIDENTIAL", reason: "Source declassified by the ministry" });
    expect(down.status).toBe(200);
    expect(await down.json()).toMatchObject({ version: 2, from: "SECRET", to: "CONFIDENTIAL" });
    // Not a content change: no new content version, the same hash, still final.
    expect(query<number>("select count(*) from briefing_versions where briefing_id = ?", BRIEFING)).toBe(versionsBefore);
    expect(query<string>("select content_hash from briefing_versions where briefing_id = ? order by version desc limit 1", BRIEFING)).toBe(hashBefore);
    expect(query<string>("select status from briefings where id = ?", BRIEFING)).toBe("final");

    const rows = await auditRows(sqliteFileSql(server.databasePath), "action = 'briefing.reclassified'");
    expect(rows.map((r) => [r.actor_id, r.briefing_id, r.details.from, r.details.to, r.details.reason, r.details.status])).toEqual([
      ["demo-owner", BRIEFING, "RESTRICTED", "SECRET", "Names a source", "draft"],
      ["demo-owner", BRIEFING, "SECRET", "CONFIDENTIAL", "Source declassified by the ministry", "final"],
    ]);

    const page = await (await get(server.url, `/briefings/${BRIEFING}/versions`, cookies.viewer)).text();
    expect(page).toContain("Marking history");
    expect(page).toContain("Source declassified by the ministry");
    expect(page).toContain("Marking 2<!-- --> (while final)");

    // The stored final version is exported with the current marking (its content holds a CONFIDENTIAL paragraph).
    const res = await get(server.url, `/briefings/${BRIEFING}/export.md`, cookies.viewer);
    expect((await res.text()).startsWith("**CONFIDENTIAL**")).toBe(true);
  });
});

describe("rate-limited sign-ins", () => {
  it("leave one audit row per email and window, with the account", async () => {
    const limited = await startTestServer({ env: { AUTH_FAILURES_PER_EMAIL: "2" } });
    try {
      const attempt = () => postForm(limited.url, "/login", null, { email: "emre@demo.summitdesk.test", password: "wrong-password-1" });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 429, 429, 429]);
      const rows = await auditRows(sqliteFileSql(limited.databasePath), "action = 'auth.sign_in_rate_limited'");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: "demo-editor", actor_email: "emre@demo.summitdesk.test", target: "emre@demo.summitdesk.test" });
      expect(rows[0].details).toMatchObject({ limit: "email" });
      // The team's owners see it in their trail (account events of their members).
      const trail = await (await get(limited.url, `/teams/${TEAM}/audit.csv`, await loginAs(limited.url, "owner"))).text();
      expect(trail).toContain("auth.sign_in_rate_limited");
    } finally {
      await limited.stop();
    }
  }, 60_000);
});
