import Database from "better-sqlite3";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { get, postForm, type DemoRole, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph, type YClient } from "../helpers/yclient";
import { anchorFor, commentApi, json } from "../comments/comment-api";

/** Templates and duplicates: the source's body in a new briefing, without its comments or history. */

const TEAM = "demo-kz-tr-desk";
const SOURCE = "ankara-summit";
let server: TestServer;
const cookies = {} as Record<DemoRole | "outsider", string>;
let source: YClient;

beforeAll(async () => {
  server = await startTestServer();
  Object.assign(cookies, await loginAll(server.url));
  const signup = await postForm(server.url, "/signup", null, { name: "Outside Person", email: "outsider@example.test", password: "a-long-password" });
  cookies.outsider = signup.headers.get("set-cookie")!.split(";")[0];
  source = await connectClient(server.url, cookies.editor, { briefingId: SOURCE });
  // A comment on the source, which no copy may carry.
  await json(await commentApi(server.url, cookies.commenter, SOURCE).create(anchorFor(source.doc, "Purpose"), "Check this"), 201);
  // An edit still in the live room: copies read the current body, not only what is stored.
  firstParagraph(source.doc).insert(0, "LIVE EDIT ");
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

function query<T>(sql: string, ...args: unknown[]): T {
  const db = new Database(server.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get(...args) as T;
  } finally {
    db.close();
  }
}

async function bodyOf(briefingId: string) {
  const client = await connectClient(server.url, cookies.editor, { briefingId });
  try {
    return { json: yXmlFragmentToProsemirrorJSON(body(client.doc)), clients: [...Y.decodeStateVector(Y.encodeStateVector(client.doc)).keys()] };
  } finally {
    client.destroy();
  }
}

const act = (cookie: string, intent: string, briefingId = SOURCE) => postForm(server.url, `/teams/${TEAM}?index`, cookie, { intent, briefingId });

const details = { title: "From the template", summitName: "Summit", city: "Astana", startDate: "2027-04-01", endDate: "2027-04-01", classification: "RESTRICTED" };

async function expectCopyOfSource(copyId: string) {
  const [copy, original] = await Promise.all([bodyOf(copyId), bodyOf(SOURCE)]);
  expect(JSON.stringify(copy.json)).toContain("LIVE EDIT ");
  expect(copy.json).toEqual(original.json);
  // Fresh history: none of the source's Yjs clients wrote the copy.
  expect(copy.clients.some((c) => original.clients.includes(c))).toBe(false);
  expect(query<number>("select count(*) from comment_threads where briefing_id = ?", copyId)).toBe(0);
  expect(query<number>("select count(*) from briefing_versions where briefing_id = ?", copyId)).toBe(0);
}

describe("templates", () => {
  it.each(["commenter", "viewer"] as const)("refuses marking by a %s with 403", async (role) => {
    expect((await act(cookies[role], "template")).status).toBe(403);
    expect(query<number>("select is_template from briefings where id = ?", SOURCE)).toBe(0);
  });

  it("answers a non-member with 404", async () => {
    expect((await act(cookies.outsider, "template")).status).toBe(404);
  });

  it("lets an editor mark a briefing as a template, which New briefing then offers", async () => {
    expect((await act(cookies.editor, "template")).status).toBe(200);
    expect(query<number>("select is_template from briefings where id = ?", SOURCE)).toBe(1);
    const html = await (await get(server.url, `/teams/${TEAM}`, cookies.editor)).text();
    expect(html).toContain(`<option value="${SOURCE}">Template: `);
  });

  it("creates a briefing with the template's body, without its comments or history", async () => {
    await eventually(async () => expect(JSON.stringify((await bodyOf(SOURCE)).json)).toContain("LIVE EDIT "), 10_000);
    const res = await postForm(server.url, `/teams/${TEAM}/new`, cookies.editor, { ...details, start: SOURCE });
    expect(res.status).toBe(302);
    const id = res.headers.get("location")!.replace("/briefings/", "");
    expect(query<string>("select title from briefings where id = ?", id)).toBe("From the template");
    expect(query<number>("select is_template from briefings where id = ?", id)).toBe(0);
    await expectCopyOfSource(id);
  });

  it("refuses a briefing that is not a template, and creates nothing", async () => {
    expect((await act(cookies.editor, "template")).status).toBe(200);
    const other = query<string>("select id from briefings where id != ? and team_id = ? and is_template = 0 limit 1", SOURCE, TEAM);
    const before = query<number>("select count(*) from briefings");
    const res = await postForm(server.url, `/teams/${TEAM}/new`, cookies.editor, { ...details, start: other ?? "unknown-id" });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("That template is not offered any more");
    expect(query<number>("select count(*) from briefings")).toBe(before);
  });

  it.each(["commenter", "viewer"] as const)("refuses a new briefing from a template by a %s with 403", async (role) => {
    const res = await postForm(server.url, `/teams/${TEAM}/new`, cookies[role], { ...details, start: SOURCE });
    expect(res.status).toBe(403);
  });

  it("lets an editor take the mark off", async () => {
    expect((await act(cookies.editor, "untemplate")).status).toBe(200);
    expect(query<number>("select is_template from briefings where id = ?", SOURCE)).toBe(0);
  });
});

describe("duplicate", () => {
  it.each(["commenter", "viewer"] as const)("refuses a %s with 403, creating nothing", async (role) => {
    const before = query<number>("select count(*) from briefings");
    expect((await act(cookies[role], "duplicate")).status).toBe(403);
    expect(query<number>("select count(*) from briefings")).toBe(before);
  });

  it("answers a non-member with 404", async () => {
    expect((await act(cookies.outsider, "duplicate")).status).toBe(404);
  });

  it("makes a draft copy titled “Copy of …” with the body, no comments and fresh history", async () => {
    const res = await act(cookies.editor, "duplicate");
    expect(res.status).toBe(302);
    const id = res.headers.get("location")!.replace("/briefings/", "");
    const title = query<string>("select title from briefings where id = ?", SOURCE);
    expect(query<string>("select title from briefings where id = ?", id)).toBe(`Copy of ${title}`);
    expect(query<string>("select status from briefings where id = ?", id)).toBe("draft");
    expect(query<string>("select team_id from briefings where id = ?", id)).toBe(TEAM);
    await expectCopyOfSource(id);
  });

  it("puts a copy's quotes and facts into the team's finders without anyone opening it", async () => {
    const res = await act(cookies.editor, "duplicate");
    const id = res.headers.get("location")!.replace("/briefings/", "");
    const sourceQuotes = query<number>("select count(*) from quotes where briefing_id = ?", SOURCE);
    const sourceFacts = query<number>("select count(*) from country_facts where briefing_id = ?", SOURCE);
    expect(sourceQuotes).toBeGreaterThan(0);
    await eventually(() => {
      expect(query<number>("select count(*) from quotes where briefing_id = ?", id)).toBe(sourceQuotes);
      expect(query<number>("select count(*) from country_facts where briefing_id = ?", id)).toBe(sourceFacts);
    }, 20_000);
  });
});
