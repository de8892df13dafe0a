import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bytesToBase64 } from "../../app/comments/anchor";
import type { CommentsPayload, ThreadView } from "../../app/comments/types";
import { get, loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, type YClient } from "../helpers/yclient";
import { anchorFor, commentApi, json } from "./comment-api";

/** Who may do what with comments, enforced by the server over real HTTP. */

let server: TestServer;
let cookies: Record<"owner" | "editor" | "commenter" | "viewer", string>;
let client: YClient;
beforeAll(async () => {
  server = await startTestServer();
  const [owner, editor, commenter, viewer] = await Promise.all(
    (["owner", "editor", "commenter", "viewer"] as const).map((r) => loginAs(server.url, r)),
  );
  cookies = { owner, editor, commenter, viewer };
  client = await connectClient(server.url, owner);
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

const api = (role: keyof typeof cookies) => commentApi(server.url, cookies[role]);

async function open(role: keyof typeof cookies, needle: string, text = "A question"): Promise<ThreadView> {
  return (await json<{ thread: ThreadView }>(await api(role).create(anchorFor(client.doc, needle), text), 201)).thread;
}

describe("comment permissions", () => {
  it("lets every member read, and refuses strangers and signed-out callers", async () => {
    for (const role of ["owner", "editor", "commenter", "viewer"] as const) {
      const payload = await json<CommentsPayload>(await api(role).list(), 200);
      expect(payload.viewer.role).toBe(role);
      expect(payload.viewer.canComment).toBe(role !== "viewer");
      expect(payload.viewer.canResolve).toBe(role === "owner" || role === "editor");
      expect(payload.members.map((m) => m.userId)).toContain("demo-commenter");
    }
    expect((await commentApi(server.url, null).list()).status).toBe(401);

    const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider@example.test", password: "long enough password" });
    const stranger = signup.headers.get("set-cookie")!.split(";")[0];
    const outsider = commentApi(server.url, stranger);
    expect((await outsider.list()).status).toBe(403);
    expect((await outsider.create(anchorFor(client.doc, "Purpose"), "hi")).status).toBe(403);
    expect((await commentApi(server.url, cookies.owner, "no-such-briefing").list()).status).toBe(404);
  });

  it("lets commenters and up open threads and reply; viewers get 403 on every write", async () => {
    const thread = await open("commenter", "Prepare the delegation");
    expect(thread.comments[0]).toMatchObject({ authorId: "demo-commenter", body: "A question", deleted: false });
    expect((await api("viewer").create(anchorFor(client.doc, "Purpose"), "no")).status).toBe(403);
    expect((await api("viewer").reply(thread.id, "no")).status).toBe(403);
    expect((await api("viewer").resolve(thread.id)).status).toBe(403);
    expect((await api("viewer").edit(thread.id, thread.comments[0].id, "no")).status).toBe(403);
    expect((await api("viewer").remove(thread.id, thread.comments[0].id)).status).toBe(403);
    for (const role of ["owner", "editor", "commenter"] as const) {
      await json(await api(role).reply(thread.id, `Reply from ${role}`), 201);
    }
    const stored = (await api("viewer").threads()).find((t) => t.id === thread.id)!;
    expect(stored.comments.map((c) => c.body)).toEqual(["A question", "Reply from owner", "Reply from editor", "Reply from commenter"]);
  });

  it("lets authors alone edit and delete their comments", async () => {
    const thread = await open("commenter", "building on the talks");
    const own = thread.comments[0];
    const edited = await json<{ thread: ThreadView }>(await api("commenter").edit(thread.id, own.id, "Better wording"), 200);
    expect(edited.thread.comments[0].body).toBe("Better wording");
    expect(edited.thread.comments[0].editedAt).not.toBeNull();
    for (const role of ["owner", "editor"] as const) {
      expect((await api(role).edit(thread.id, own.id, "hijacked")).status).toBe(403);
      expect((await api(role).remove(thread.id, own.id)).status).toBe(403);
    }
    const reply = (await json<{ thread: ThreadView }>(await api("editor").reply(thread.id, "Editor reply"), 201)).thread.comments[1];
    expect((await api("commenter").edit(thread.id, reply.id, "hijacked")).status).toBe(403);
    expect((await api("commenter").remove(thread.id, reply.id)).status).toBe(403);
    await json(await api("editor").edit(thread.id, reply.id, "Editor reply, edited"), 200);
  });

  it("deletes a thread with its only comment, leaves a tombstone when replies exist", async () => {
    const lone = await open("commenter", "Mukhtar Tleuberdi");
    const gone = await json<{ deleted: boolean }>(await api("commenter").remove(lone.id, lone.comments[0].id), 200);
    expect(gone.deleted).toBe(true);
    expect((await get(server.url, `/briefings/ankara-summit/comments/${lone.id}`, cookies.commenter)).status).toBe(404);

    const thread = await open("commenter", "Mevlüt Çavuşoğlu");
    const reply = (await json<{ thread: ThreadView }>(await api("editor").reply(thread.id, "A reply"), 201)).thread.comments[1];
    const kept = await json<{ thread: ThreadView }>(await api("commenter").remove(thread.id, thread.comments[0].id), 200);
    expect(kept.thread.comments[0]).toMatchObject({ deleted: true, body: "", authorId: "demo-commenter" });
    expect(kept.thread.comments[1].body).toBe("A reply");
    // A tombstone cannot be edited or deleted again.
    expect((await api("commenter").edit(thread.id, thread.comments[0].id, "back")).status).toBe(404);
    // Deleting the last live reply takes the thread with it.
    const last = await json<{ deleted: boolean }>(await api("editor").remove(thread.id, reply.id), 200);
    expect(last.deleted).toBe(true);
  });

  it("lets editors and owners resolve and reopen, not commenters", async () => {
    const thread = await open("commenter", "main focus");
    expect((await api("commenter").resolve(thread.id)).status).toBe(403);
    const resolved = await json<{ thread: ThreadView }>(await api("editor").resolve(thread.id), 200);
    expect(resolved.thread.resolvedBy).toBe("demo-editor");
    expect(resolved.thread.resolvedByName).toBe("Emre Yıldız");
    expect(resolved.thread.resolvedAt).not.toBeNull();
    expect((await api("commenter").reopen(thread.id)).status).toBe(403);
    const reopened = await json<{ thread: ThreadView }>(await api("owner").reopen(thread.id), 200);
    expect(reopened.thread.resolvedAt).toBeNull();
  });

  it("lets editors and owners move a thread to other text (its text moved), not commenters or viewers", async () => {
    const thread = await open("commenter", "Ankara talks");
    const target = anchorFor(client.doc, "Economic cooperation");
    expect((await api("commenter").reanchor(thread.id, target)).status).toBe(403);
    expect((await api("viewer").reanchor(thread.id, target)).status).toBe(403);
    const moved = await json<{ thread: ThreadView }>(await api("editor").reanchor(thread.id, target), 200);
    expect(moved.thread).toMatchObject({ quotedText: "Economic cooperation", anchorStart: target.start, anchorEnd: target.end, detached: false });
    expect(moved.thread.comments).toHaveLength(1);
    // What the list serves from now on.
    const listed = (await api("viewer").threads()).find((t) => t.id === thread.id)!;
    expect(listed).toMatchObject({ quotedText: "Economic cooperation", detached: false });

    const errorsOf = async (res: Response) => (await json<{ errors: Record<string, string[]> }>(res, 400)).errors;
    expect((await errorsOf(await api("owner").reanchor(thread.id, { start: target.start, end: target.start }))).anchorStart).toBeTruthy();
    expect((await errorsOf(await api("owner").post(`/${thread.id}`, { intent: "reanchor", anchorStart: "not base64!", anchorEnd: target.end }))).anchorStart).toBeTruthy();
    expect((await api("owner").reanchor(thread.id, { start: "AAAA", end: "AAAA" })).status).toBe(409);
    expect((await api("owner").reanchor("unknownthread", target)).status).toBe(404);
    // None of the refused attempts changed it.
    expect((await api("viewer").threads()).find((t) => t.id === thread.id)).toMatchObject({ anchorStart: target.start, quotedText: "Economic cooperation" });
  });

  it("answers bad input with 400 and field errors, unknown threads with 404", async () => {
    const c = api("commenter");
    const anchor = anchorFor(client.doc, "Background");
    const errorsOf = async (res: Response) => (await json<{ errors: Record<string, string[]> }>(res, 400)).errors;
    expect((await errorsOf(await c.create(anchor, "   "))).body).toEqual(["Write a comment."]);
    expect((await errorsOf(await c.create(anchor, "x".repeat(5001)))).body?.[0]).toMatch(/at most 5,000/);
    expect((await errorsOf(await c.create({ start: "not base64!", end: anchor.end }, "hi"))).anchorStart).toBeTruthy();
    // A position in another part of the Y.Doc than the body.
    const elsewhere = bytesToBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(client.doc.getText("notes"), 0)));
    expect((await errorsOf(await c.create({ start: elsewhere, end: anchor.end }, "hi"))).anchorStart).toEqual(["The selection is not in this briefing's text."]);
    // Positions naming edits the server never saw cannot be told from edits still on their way: 409, retried by the browser.
    expect((await c.create({ start: "AAAA", end: "AAAA" }, "hi")).status).toBe(409);
    expect((await errorsOf(await c.post("", { body: "no anchor" }))).anchorStart).toBeTruthy();
    // The same position twice selects nothing.
    expect((await errorsOf(await c.create({ start: anchor.start, end: anchor.start }, "hi"))).anchorStart).toBeTruthy();

    const thread = await open("commenter", "Background");
    expect((await errorsOf(await c.post(`/${thread.id}`, { intent: "shout" }))).intent).toBeTruthy();
    expect((await errorsOf(await c.reply(thread.id, ""))).body).toBeTruthy();
    expect((await c.reply("unknownthread", "hi")).status).toBe(404);
    expect((await c.reply("bad id!", "hi")).status).toBe(404);
    expect((await c.edit(thread.id, "unknowncomment", "hi")).status).toBe(404);
    expect((await get(server.url, `/briefings/ankara-summit/comments/unknownthread`, cookies.viewer)).status).toBe(404);
  });

  it("stores mentions of team members as ids and refuses anyone else", async () => {
    const thread = await open("commenter", "Central Asia", "Can <@demo-editor> check this? cc <@demo-owner> <@demo-editor>");
    expect(thread.comments[0].mentions).toEqual(["demo-editor", "demo-owner"]);
    const bad = await json<{ errors: Record<string, string[]> }>(await api("commenter").reply(thread.id, "Hey <@not-a-member>"), 400);
    expect(bad.errors.body?.[0]).toMatch(/members of this team/);
  });

  it("lists the comments that mention a user on their Mentions page, and counts open ones in the header", async () => {
    const page = async (role: keyof typeof cookies) => {
      const res = await get(server.url, "/mentions", cookies[role]);
      expect(res.status).toBe(200);
      return (await res.text()).replaceAll("<!-- -->", "");
    };
    const badge = (html: string) => /aria-label="Mentions, (\d+) in open threads"/.exec(html)?.[1] ?? "0";
    const before = Number(badge(await page("viewer")));

    const thread = await open("commenter", "historical ties", "<@demo-viewer> is this sourced? <b>x</b>");
    await json(await api("owner").reply(thread.id, "Asking <@demo-owner> myself, and <@demo-viewer> again"), 201);
    const viewerPage = await page("viewer");
    expect(viewerPage).toContain("@Selin Çelik is this sourced?"); // the token shown as the name
    expect(viewerPage).toContain("is this sourced? &lt;b&gt;x&lt;/b&gt;"); // plain text, never markup
    expect(viewerPage).toContain(`/briefings/ankara-summit?thread=${thread.id}`);
    expect(viewerPage).toContain("historical ties");
    expect(Number(badge(viewerPage))).toBe(before + 2);
    // Nobody sees their own comment as a mention; a member who is not mentioned sees nothing new.
    expect(await page("owner")).not.toContain("Asking @");
    expect(await page("editor")).not.toContain("is this sourced?");

    // Resolved threads stay listed but leave the count.
    await json(await api("editor").resolve(thread.id), 200);
    const afterResolve = await page("viewer");
    expect(afterResolve).toContain("is this sourced?");
    expect(Number(badge(afterResolve))).toBe(before);
    expect((await get(server.url, "/mentions", null)).status).toBe(302);
  });

  it("keeps bodies as plain text, and counts open threads in the briefings list", async () => {
    const html = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
    const thread = await open("commenter", "Middle East", html);
    expect(thread.comments[0].body).toBe(html);

    const openCount = (await api("owner").threads()).filter((t) => t.resolvedAt === null).length;
    const listPage = async () => (await (await get(server.url, "/teams/demo-kz-tr-desk", cookies.owner)).text()).replaceAll("<!-- -->", "");
    const page = await listPage();
    expect(page).toContain(`${openCount} open thread${openCount === 1 ? "" : "s"}`);
    await json(await api("editor").resolve(thread.id), 200);
    const after = await listPage();
    expect(after).toContain(`${openCount - 1} open thread${openCount - 1 === 1 ? "" : "s"}`);
  });
});
