import { toReview } from "../helpers/review";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUser, get, postForm, type DemoRole, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { sqliteFileSql } from "../helpers/server-dialects";
import { auditRows, parseCsv } from "./audit-db";

const TEAM = "demo-kz-tr-desk";
const AUDIT = `/teams/${TEAM}/audit`;
const PAGE_SIZE = 2;
let server: TestServer;
const cookies = {} as Record<DemoRole, string>;
let outsider: string;

// A restart must not seed the demo desk again once the test has deleted it.
const start = (databasePath?: string) => startTestServer({ databasePath, env: { AUDIT_PAGE_SIZE: String(PAGE_SIZE), SEED_DEMO: databasePath ? "false" : "true" } });

beforeAll(async () => {
  server = await start();
  Object.assign(cookies, await loginAll(server.url));
  const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider@example.test", password: "a-long-password" });
  outsider = signup.headers.get("set-cookie")!.split(";")[0];
});
afterAll(async () => {
  await server?.stop();
});

async function csv(query = "", cookie = cookies.owner): Promise<Record<string, string>[]> {
  const res = await get(server.url, `${AUDIT}.csv${query}`, cookie);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/csv");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-demo-kz-tr-desk-\d{4}-\d{2}-\d{2}\.csv"$/);
  const [header, ...rows] = parseCsv(await res.text());
  expect(header).toEqual(["id", "at", "action", "actor_email", "actor_id", "briefing_id", "target", "details", "ip"]);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe("who may read the trail", () => {
  it("shows owners the page and the CSV", async () => {
    const page = await get(server.url, AUDIT, cookies.owner);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Audit trail");
  });

  it.each(["editor", "commenter", "viewer"] as const)("answers a %s 403 with a reason", async (role) => {
    for (const path of [AUDIT, `${AUDIT}.csv`]) {
      const res = await get(server.url, path, cookies[role]);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain(`Only owners of Kazakhstan–Türkiye desk may read its audit trail; you are ${role}.`);
    }
  });

  it("answers a non-member and an unknown team 404, and sends a signed-out caller to sign in", async () => {
    for (const path of [AUDIT, `${AUDIT}.csv`, "/teams/no-such-team/audit", "/teams/no-such-team/audit.csv"]) {
      expect((await get(server.url, path, outsider)).status).toBe(404);
    }
    const anonymous = await get(server.url, AUDIT);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(AUDIT)}`);
  });

  it("links to the trail from the members page for owners only", async () => {
    expect(await (await get(server.url, `/teams/${TEAM}/members`, cookies.owner)).text()).toContain(`href="${AUDIT}"`);
    expect(await (await get(server.url, `/teams/${TEAM}/members`, cookies.editor)).text()).not.toContain(`href="${AUDIT}"`);
  });
});

describe("filters, order and pages", () => {
  it("lists the team's events and its members' sign-ins newest first, and no one else's", async () => {
    const rows = await csv();
    const ids = rows.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const signIns = rows.filter((r) => r.action === "auth.sign_in").map((r) => r.actor_email);
    expect(signIns).toEqual(expect.arrayContaining((["owner", "editor", "commenter", "viewer"] as const).map((r) => demoUser(r).email)));
    // The outsider's sign-up sign-in belongs to no team they share with this one.
    expect(rows.some((r) => r.actor_email === "outsider@example.test")).toBe(false);
    expect(await auditRows(sqliteFileSql(server.databasePath), "actor_email = 'outsider@example.test'")).toHaveLength(1);
  });

  it("filters by action, person, briefing and date range, on the page and in the CSV", async () => {
    await postForm(server.url, `/briefings/ankara-summit/status`, cookies.editor, toReview());
    await postForm(server.url, `/briefings/ankara-summit/status`, cookies.owner, { to: "draft" });

    const byAction = await csv("?action=briefing.status_change");
    expect(byAction.map((r) => r.action)).toEqual(["briefing.status_change", "briefing.status_change"]);
    expect(byAction.map((r) => JSON.parse(r.details) as { from: string; to: string })).toEqual([
      { from: "in_review", to: "draft" },
      { from: "draft", to: "in_review" },
    ]);

    const byPerson = await csv(`?person=${encodeURIComponent(demoUser("editor").email.toUpperCase())}`);
    expect(new Set(byPerson.map((r) => r.actor_email))).toEqual(new Set([demoUser("editor").email]));
    expect(byPerson.map((r) => r.action)).toEqual(["briefing.status_change", "auth.sign_in"]);

    const byBriefing = await csv("?briefing=ankara-summit");
    expect(byBriefing).toHaveLength(2);
    expect(byBriefing.every((r) => r.briefing_id === "ankara-summit")).toBe(true);

    const today = new Date().toISOString().slice(0, 10);
    expect(await csv(`?from=${today}&to=${today}&action=briefing.status_change`)).toHaveLength(2);
    expect(await csv("?from=2020-01-01&to=2020-12-31")).toHaveLength(0);
    expect(await csv("?to=2020-12-31")).toHaveLength(0);
    expect((await csv(`?from=${today}`)).length).toBeGreaterThan(4);

    const page = await (await get(server.url, `${AUDIT}?action=briefing.status_change`, cookies.owner)).text();
    expect(page).toContain("2 events");
    expect(page).toContain("in_review → draft");
    expect(page).not.toContain('data-action="auth.sign_in"');
  });

  it("refuses bad filter values with 400 and says which", async () => {
    const cases: [string, string][] = [
      ["?action=auth.hack", "`action` is not one of the recorded actions."],
      ["?from=2026-02-30", "`from` must be a date, YYYY-MM-DD."],
      ["?to=yesterday", "`to` must be a date, YYYY-MM-DD."],
      ["?from=2026-03-02&to=2026-03-01", "`from` must not be after `to`."],
      ["?briefing=../../etc", "`briefing` is not a briefing id."],
      ["?page=0", "`page` must be a whole number from 1."],
      ["?page=abc", "`page` must be a whole number from 1."],
    ];
    for (const [query, message] of cases) {
      for (const path of [AUDIT, `${AUDIT}.csv`]) {
        const res = await get(server.url, `${path}${query}`, cookies.owner);
        expect(res.status, `${path}${query}`).toBe(400);
        expect(await res.text()).toContain(message);
      }
    }
  });

  it("pages the trail: each page a slice of the newest-first list, with links keeping the filters", async () => {
    const all = await csv();
    const pages = Math.ceil(all.length / PAGE_SIZE);
    expect(pages).toBeGreaterThan(2);
    const seen: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const html = await (await get(server.url, `${AUDIT}?page=${p}`, cookies.owner)).text();
      expect(html).toContain(`Page ${p} of ${pages}`);
      seen.push(...[...html.matchAll(/<tr data-action="([^"]+)"/g)].map((m) => m[1]));
    }
    expect(seen).toEqual(all.map((r) => r.action));
    const filtered = await (await get(server.url, `${AUDIT}?action=auth.sign_in&page=1`, cookies.owner)).text();
    expect(filtered).toContain(`href="/teams/${TEAM}/audit?action=auth.sign_in&amp;page=2"`);
    expect(filtered).toContain(`href="/teams/${TEAM}/audit.csv?action=auth.sign_in"`);
  });
});

describe("the CSV", () => {
  it("quotes cells a spreadsheet would run as formulas, and keeps commas and quotes intact", async () => {
    const titles = ['=HYPERLINK("http://evil.test","x")', "+1+2", "-3", "@SUM(A1)", 'Plain, with "quotes"'];
    for (const title of titles) {
      const res = await postForm(server.url, `/teams/${TEAM}?index`, cookies.editor, {
        intent: "create",
        title,
        summitName: "Formula test",
        city: "Astana",
        startDate: "2027-02-01",
        endDate: "2027-02-02",
        classification: "RESTRICTED",
      });
      expect(res.status).toBe(302);
    }
    const rows = (await csv("?action=briefing.create")).map((r) => r.target);
    expect(rows).toEqual(['Plain, with "quotes"', "'@SUM(A1)", "'-3", "'+1+2", `'=HYPERLINK("http://evil.test","x")`]);
    const detail = (await csv("?action=briefing.create"))[0];
    expect(JSON.parse(detail.details)).toEqual({ classification: "RESTRICTED" });
    expect(detail.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe("append-only and kept", () => {
  it("refuses UPDATE and DELETE of audit rows in SQL", () => {
    const db = new Database(server.databasePath);
    try {
      expect(() => db.prepare("update audit_events set actor_email = 'someone@else.test'").run()).toThrow(/append-only/);
      expect(() => db.prepare("delete from audit_events").run()).toThrow(/append-only/);
      expect(() => db.prepare("delete from audit_events where id = (select max(id) from audit_events)").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it("keeps the events of a deleted briefing, user and team, and across a restart on the same file", async () => {
    const before = await auditRows(sqliteFileSql(server.databasePath));
    expect(before.some((r) => r.actor_id === demoUser("viewer").id)).toBe(true);
    const deleted = await postForm(server.url, `/teams/${TEAM}?index`, cookies.owner, { intent: "delete", briefingId: "ankara-summit" });
    expect(deleted.status).toBe(200);
    expect((await auditRows(sqliteFileSql(server.databasePath), "briefing_id = 'ankara-summit'")).map((r) => r.action)).toEqual([
      "briefing.status_change",
      "briefing.status_change",
      "briefing.delete",
    ]);
    await server.stop();

    // No part of the app deletes users or teams; SQL does, with every cascade it has.
    const db = new Database(server.databasePath);
    db.pragma("foreign_keys = ON");
    db.prepare("delete from users where id = ?").run(demoUser("viewer").id);
    db.prepare("delete from teams where id = ?").run(TEAM);
    db.close();
    const after = await auditRows(sqliteFileSql(server.databasePath));
    expect(after).toEqual([...before, ...after.slice(before.length)]);
    expect(after.length).toBe(before.length + 1);

    server = await start(server.databasePath);
    const stored = await auditRows(sqliteFileSql(server.databasePath));
    expect(stored.slice(0, after.length)).toEqual(after);
  });
});
