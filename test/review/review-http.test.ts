import Database from "better-sqlite3";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flat, pdfPages, pdfText } from "../export/pdf-tools";
import { anchorFor, commentApi } from "../comments/comment-api";
import { get, loginAs, postForm, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph } from "../helpers/yclient";
import mammoth from "mammoth";

/**
 * Review sign-off over real HTTP and a real y-websocket client: who may send for review, approve
 * and finalize; approvals reset by an edit of their own section only (decided by the server from the
 * content); finalize refused with 409 until every approval is in, or an owner's written override;
 * the clearance record in the final PDF; notifications.
 */

const BRIEFING = "ankara-summit";
const STATUS = `/briefings/${BRIEFING}/status`;
const REVIEW = `/briefings/${BRIEFING}/review`;
const TOPICS = ["topic-regional-security", "topic-counter-terrorism", "topic-trade", "topic-culture", "topic-education-technology", "topic-tourism"];
const DANA = "demo-commenter";

let server: TestServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { PDF_WORKERS: "1", PROJECTION_DEBOUNCE_MS: "50" } });
  Object.assign(cookies, await loginAll(server.url));
  const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider@example.test", password: "long-enough-pw" });
  cookies.outsider = signup.headers.get("set-cookie")!.split(";")[0];
}, 60_000);
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

/** A form with repeated fields, as the browser sends checked approvers. */
function post(path: string, cookie: string, fields: [string, string][]) {
  return fetch(`${server.url}${path}`, { method: "POST", headers: { Cookie: cookie, Origin: server.url }, body: new URLSearchParams(fields), redirect: "manual" });
}
const decide = (cookie: string, section: string, decision = "approved", note = "") => post(REVIEW, cookie, [["section", section], ["decision", decision], ["note", note]]);

function rows<T>(sql: string, ...args: unknown[]): T[] {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
const approvals = () => rows<{ section: string }>("select section from review_decisions where briefing_id = ? and decision = 'approved' order by section", BRIEFING).map((r) => r.section);
const notifications = (userId: string, kind: string) => rows<{ id: string; payload: string; read_at: number | null }>("select id, payload, read_at from notifications where user_id = ? and kind = ?", userId, kind);

/** The text inside an agenda topic of a live document (its first text run). */
function topicText(doc: Y.Doc, blockId: string): Y.XmlText {
  const topic = body(doc).toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === "agendaTopic" && n.getAttribute("blockId") === blockId) as Y.XmlElement;
  const walk = (el: Y.XmlElement): Y.XmlText | null => {
    for (const child of el.toArray()) {
      if (child instanceof Y.XmlText) return child;
      if (child instanceof Y.XmlElement) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(topic)!;
}

function tomorrow(): string {
  return new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

describe("review sign-off", () => {
  it("only editors and owners send for review, naming members who may at least comment", async () => {
    for (const role of ["viewer", "commenter", "outsider"]) {
      expect((await post(STATUS, cookies[role], [["to", "in_review"], ["approvers", DANA]])).status).toBe(403);
    }
    const none = await post(STATUS, cookies.editor, [["to", "in_review"]]);
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: "Name at least one approver." });
    const viewer = await post(STATUS, cookies.editor, [["to", "in_review"], ["approvers", "demo-viewer"]]);
    expect(viewer.status).toBe(400);
    expect((await viewer.json()).error).toContain("approvers must be able to at least comment");
    expect((await post(STATUS, cookies.editor, [["to", "in_review"], ["approvers", "no-such-user"]])).status).toBe(400);
    const badDate = await post(STATUS, cookies.editor, [["to", "in_review"], ["approvers", DANA], ["due", "next week"]]);
    expect(badDate.status).toBe(400);
    expect((await badDate.json()).error).toBe("Give the due date as YYYY-MM-DD.");

    const sent = await post(STATUS, cookies.editor, [["to", "in_review"], ["approvers", DANA], ["due", tomorrow()]]);
    expect(sent.status).toBe(200);
    expect(notifications(DANA, "review_requested")).toHaveLength(1);
    // "Due tomorrow" is computed when Dana's notifications are read, once however often she looks.
    for (let i = 0; i < 2; i++) {
      const page = await get(server.url, "/notifications", cookies.commenter);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("asked you to review");
      expect(html).toContain("is due tomorrow");
    }
    expect(notifications(DANA, "review_due")).toHaveLength(1);
  });

  it("only a named approver decides, on the whole brief or a topic that exists", async () => {
    for (const role of ["viewer", "outsider"]) expect((await decide(cookies[role], "brief")).status).toBe(403);
    // Editors and owners who are not named may not decide either: sign-off is the approvers'.
    for (const role of ["editor", "owner"]) {
      const refused = await decide(cookies[role], "brief");
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("not an approver");
    }
    expect((await decide(cookies.commenter, "topic-nonexistent")).status).toBe(400);
    expect((await decide(cookies.commenter, "brief", "maybe")).status).toBe(400);
    const noNote = await decide(cookies.commenter, "brief", "changes_requested");
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).error).toContain("needs a note");
    expect((await decide(cookies.commenter, "brief", "changes_requested", "Tighten the purpose")).status).toBe(200);
  });

  it("finalize is refused with 409 listing what is missing; an editor cannot override", async () => {
    const res = await post(STATUS, cookies.editor, [["to", "final"]]);
    expect(res.status).toBe(409);
    const json = (await res.json()) as { error: string; missing: unknown[] };
    expect(json.error).toMatch(/^Finalizing needs every approval\. Missing: Dana Seitkali: Whole brief, Topic 1: /);
    expect(json.missing).toHaveLength(1 + TOPICS.length);
    expect((await post(STATUS, cookies.editor, [["to", "final"], ["override", "We are out of time"]])).status).toBe(403);
  });

  it("an edit of an approved topic resets that topic only and tells the approver; an edit elsewhere resets the whole brief", async () => {
    for (const section of ["brief", ...TOPICS]) expect((await decide(cookies.commenter, section)).status).toBe(200);
    expect(approvals()).toEqual(["brief", ...TOPICS].sort());

    const client = await connectClient(server.url, cookies.editor);
    client.doc.transact(() => topicText(client.doc, "topic-trade").insert(0, "Revised: "));
    await eventually(() => expect(approvals()).toEqual(["brief", ...TOPICS.filter((t) => t !== "topic-trade")].sort()), 20_000);
    await eventually(() => expect(notifications(DANA, "approval_reset")).toHaveLength(1), 20_000);
    expect(JSON.parse(notifications(DANA, "approval_reset")[0].payload)).toMatchObject({ link: `/briefings/${BRIEFING}#block-topic-trade` });

    client.doc.transact(() => firstParagraph(client.doc).insert(0, "Updated. "));
    await eventually(() => expect(approvals()).toEqual(TOPICS.filter((t) => t !== "topic-trade").sort()), 20_000);
    const refused = await post(STATUS, cookies.editor, [["to", "final"]]);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/Dana Seitkali: Whole brief, Topic 3: /);
  });

  it("once everything is approved again the editor finalizes, and the PDF ends with the clearance record", async () => {
    expect((await decide(cookies.commenter, "brief", "approved", "Cleared for the minister")).status).toBe(200);
    expect((await decide(cookies.commenter, "topic-trade")).status).toBe(200);
    const res = await post(STATUS, cookies.editor, [["to", "final"]]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, status: "final", version: 1 });
    expect(notifications(DANA, "approved_finalized")).toHaveLength(1);
    // No decisions once final.
    expect((await decide(cookies.commenter, "brief")).status).toBe(409);

    const pdf = await get(server.url, `/briefings/${BRIEFING}/export.pdf?version=1`, cookies.viewer);
    expect(pdf.status).toBe(200);
    const buf = Buffer.from(await pdf.arrayBuffer());
    const last = flat(pdfText(buf, { page: pdfPages(buf) }));
    expect(last).toContain("Clearance record");
    expect(last).toContain("Finalized by Emre Yıldız");
    expect(last).toContain("Dana Seitkali");
    expect(last).toContain("Whole brief");
    expect(last).toContain("Cleared for the minister");
    expect(last).not.toContain("Not approved");

    // Word and Markdown end with the same record.
    const md = await (await get(server.url, `/briefings/${BRIEFING}/export.md?version=1`, cookies.viewer)).text();
    const record = md.slice(md.indexOf("## Clearance record"));
    expect(md.indexOf("## Clearance record")).toBeGreaterThan(0);
    expect(record).toContain("Finalized by Emre Yıldız");
    expect(record).toMatch(/\| Dana Seitkali \| Whole brief \| Approved \| [^|]+ \| Cleared for the minister \|/);
    const docx = await get(server.url, `/briefings/${BRIEFING}/export.docx?version=1`, cookies.viewer);
    expect(docx.status).toBe(200);
    const word = (await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
    expect(word).toContain("Clearance record");
    expect(word.slice(word.indexOf("Clearance record"))).toContain("Cleared for the minister");

    const versions = await (await get(server.url, `/briefings/${BRIEFING}/versions`, cookies.viewer)).text();
    expect(versions).toContain(`aria-label="Clearance record of version 1"`);
    expect(versions).toContain("Cleared for the minister");
  });

  it("an owner may finalize without every approval only with a written reason, recorded in the audit trail and the PDF", async () => {
    expect((await post(STATUS, cookies.owner, [["to", "draft"]])).status).toBe(200);
    expect((await post(STATUS, cookies.editor, [["to", "in_review"], ["approvers", DANA]])).status).toBe(200);
    // A new review starts clean: the earlier round's approvals do not count.
    expect(approvals()).toEqual([]);
    expect((await post(STATUS, cookies.owner, [["to", "final"], ["override", "   "]])).status).toBe(409);
    const res = await post(STATUS, cookies.owner, [["to", "final"], ["override", "Minister departs tonight; desk head cleared by phone"]]);
    expect(res.status).toBe(200);
    const audit = rows<{ details: string }>("select details from audit_events where action = 'briefing.finalize_override'");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toMatchObject({ version: 2, reason: "Minister departs tonight; desk head cleared by phone" });
    const pdf = Buffer.from(await (await get(server.url, `/briefings/${BRIEFING}/export.pdf?version=2`, cookies.owner)).arrayBuffer());
    const text = flat(pdfText(pdf));
    expect(text).toContain("Finalized without every approval by Aigerim Nurpeisova");
    expect(text).toContain("Minister departs tonight; desk head cleared by phone");
    expect(text).toContain("Not approved");
  });

  it("notifications: a mention notifies, one can be marked read (only one's own), and all at once", async () => {
    const client = await connectClient(server.url, cookies.commenter);
    const created = await commentApi(server.url, cookies.commenter).create(anchorFor(client.doc, "Purpose"), "Check this, <@demo-editor>");
    expect(created.status).toBe(201);
    const threadId = ((await created.json()) as { thread: { id: string } }).thread.id;
    const [mention] = notifications("demo-editor", "mentioned");
    expect(JSON.parse(mention.payload)).toMatchObject({ link: `/briefings/${BRIEFING}?thread=${threadId}`, text: "Dana Seitkali mentioned you in a comment on “Kazakhstan–Türkiye presidential summit, Ankara”." });
    const [first] = notifications(DANA, "review_requested");
    // Someone else's notification is not found for them.
    expect((await postForm(server.url, "/notifications", cookies.editor, { intent: "read", id: first.id })).status).toBe(404);
    expect((await postForm(server.url, "/notifications", cookies.commenter, { intent: "read", id: first.id })).status).toBe(200);
    expect(notifications(DANA, "review_requested")[0].read_at).not.toBeNull();
    expect((await postForm(server.url, "/notifications", cookies.commenter, { intent: "nonsense" })).status).toBe(400);
    expect((await postForm(server.url, "/notifications", cookies.commenter, { intent: "read-all" })).status).toBe(200);
    expect(rows("select id from notifications where user_id = ? and read_at is null", DANA)).toHaveLength(0);
    expect((await get(server.url, "/notifications")).status).toBe(302);
    expect((await get(server.url, "/notifications/events")).status).toBe(302);
  });

  it("each member sees and marks only their own notifications; a signed-out caller is sent to sign in", async () => {
    const mine = notifications(DANA, "review_requested")[0];
    for (const role of ["owner", "editor", "viewer", "outsider"]) {
      const page = await get(server.url, "/notifications", cookies[role]);
      expect(page.status).toBe(200);
      // Dana's review request is not on anyone else's list.
      expect(await page.text()).not.toContain("asked you to review");
      expect((await postForm(server.url, "/notifications", cookies[role], { intent: "read", id: mine.id })).status).toBe(404);
      const stream = await fetch(`${server.url}/notifications/events`, { headers: { Cookie: cookies[role] } });
      expect(stream.status).toBe(200);
      await stream.body?.cancel();
    }
    expect((await postForm(server.url, "/notifications", null, { intent: "read-all" })).status).toBe(302);
  });

  it("the live stream sends the unread count at once and again when it changes", async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/notifications/events`, { headers: { Cookie: cookies.editor }, signal: controller.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const next = async (): Promise<{ unread: number }> => {
      for (;;) {
        const match = /data: (.*)\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          return JSON.parse(match[1]) as { unread: number };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    };
    try {
      expect(await next()).toEqual({ unread: rows("select id from notifications where user_id = 'demo-editor' and read_at is null").length });
      expect((await postForm(server.url, "/notifications", cookies.editor, { intent: "read-all" })).status).toBe(200);
      expect(await next()).toEqual({ unread: 0 });
    } finally {
      controller.abort();
    }
  });

  it("signing out ends that session's notification stream", async () => {
    const cookie = await loginAs(server.url, "editor");
    const res = await fetch(`${server.url}/notifications/events`, { headers: { Cookie: cookie } });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("data:");
    expect((await postForm(server.url, "/logout", cookie, {})).status).toBe(302);
    for (;;) if ((await reader.read()).done) break;
  });
});
