import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CommentEvent, ThreadView } from "../../app/comments/types";
import { openEventStream, type EventStream } from "../helpers/event-stream";
import { loginAs, postForm, loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";
import { anchorFor, commentApi, json } from "./comment-api";

/** The Server-Sent Events channel: every change reaches the other subscribers, behind the read check. */

/** Reads GET /briefings/:id/comments/events over a real socket and parses the SSE frames. */
async function subscribe(baseUrl: string, cookie: string | null, briefingId = "ankara-summit"): Promise<EventStream> {
  const stream = await openEventStream(baseUrl, `/briefings/${briefingId}/comments/events`, cookie);
  if (stream.status === 200) expect(stream.contentType).toMatch(/^text\/event-stream/);
  return stream;
}

const comments = (s: EventStream) => s.messages.filter((m) => m.event === "message").map((m) => m.data as CommentEvent);

let server: TestServer;
let client: YClient;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  Object.assign(cookies, await loginAll(server.url));
  client = await connectClient(server.url, cookies.owner);
});
const streams: EventStream[] = [];
afterEach(() => streams.splice(0).forEach((s) => s.close()));
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

async function open(cookie: string | null) {
  const s = await subscribe(server.url, cookie);
  streams.push(s);
  return s;
}

describe("live comment events", () => {
  it("delivers create, reply, edit, resolve, reopen and delete to another subscriber", async () => {
    const editorStream = await open(cookies.editor);
    const viewerStream = await open(cookies.viewer);
    expect(editorStream.status).toBe(200);
    expect(viewerStream.status).toBe(200);
    const dana = commentApi(server.url, cookies.commenter);
    const emre = commentApi(server.url, cookies.editor);

    const { thread } = await json<{ thread: ThreadView }>(await dana.create(anchorFor(client.doc, "Prepare the delegation"), "First"), 201);
    const last = (s: EventStream) => comments(s).at(-1);
    await eventually(() => expect(last(editorStream)).toMatchObject({ type: "thread", thread: { id: thread.id, quotedText: "Prepare the delegation" } }));

    await json(await emre.reply(thread.id, "Second"), 201);
    await eventually(() => {
      const e = last(viewerStream);
      expect(e?.type === "thread" && e.thread.comments.map((c) => c.body)).toEqual(["First", "Second"]);
    });
    await json(await dana.edit(thread.id, thread.comments[0].id, "First, edited"), 200);
    await eventually(() => {
      const e = last(editorStream);
      expect(e?.type === "thread" && e.thread.comments[0].body).toBe("First, edited");
    });
    await json(await emre.resolve(thread.id), 200);
    await eventually(() => {
      const e = last(viewerStream);
      expect(e?.type === "thread" && e.thread.resolvedBy).toBe("demo-editor");
    });
    await json(await emre.reopen(thread.id), 200);
    await eventually(() => {
      const e = last(viewerStream);
      expect(e?.type === "thread" && e.thread.resolvedAt).toBeNull();
    });
    const reply = (await dana.threads()).find((t) => t.id === thread.id)!.comments[1];
    await json(await emre.remove(thread.id, reply.id), 200);
    await json(await dana.remove(thread.id, thread.comments[0].id), 200);
    await eventually(() => expect(last(editorStream)).toEqual({ type: "threadDeleted", threadId: thread.id }));
    expect(comments(editorStream).length).toBe(7);
    expect(comments(viewerStream)).toEqual(comments(editorStream));
  });

  it("caps open streams per user with 429, and frees a place when one closes", async () => {
    const capped = await startTestServer({ env: { COLLAB_MAX_CONNECTIONS_PER_USER: "2" } });
    try {
      const viewer = await loginAs(capped.url, "viewer");
      const first = await subscribe(capped.url, viewer);
      const second = await subscribe(capped.url, viewer);
      streams.push(first, second);
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await subscribe(capped.url, viewer);
      expect(third.status).toBe(429);
      expect((await subscribe(capped.url, await loginAs(capped.url, "commenter"))).status).toBe(200);
      first.close();
      await eventually(async () => {
        const again = await subscribe(capped.url, viewer);
        streams.push(again);
        expect(again.status).toBe(200);
      }, 5000, 100);
    } finally {
      streams.splice(0).forEach((s) => s.close());
      await capped.stop();
    }
  });

  it("checks read access on subscribe", async () => {
    expect((await open(null)).status).toBe(401);
    const signup = await postForm(server.url, "/signup", null, { name: "Stranger", email: "stranger@example.test", password: "long enough password" });
    expect((await open(signup.headers.get("set-cookie")!.split(";")[0])).status).toBe(403);
    const unknown = await subscribe(server.url, cookies.owner, "unknown-briefing");
    expect(unknown.status).toBe(404);
  });

  it("tells a subscriber about a role change and ends the stream when they leave the team or sign out", async () => {
    const viewer = await open(cookies.viewer);
    const commenter = await open(cookies.commenter);
    expect(viewer.status).toBe(200);

    await postForm(server.url, "/teams/demo-kz-tr-desk/members", cookies.owner, { intent: "role", userId: "demo-commenter", role: "viewer" });
    await eventually(() => expect(comments(commenter).at(-1)).toEqual({ type: "access", role: "viewer" }));

    const res = await postForm(server.url, "/teams/demo-kz-tr-desk/members", cookies.owner, { intent: "remove", userId: "demo-viewer" });
    expect(res.status).toBe(200);
    await viewer.ended;
    expect(viewer.messages.at(-1)?.event).toBe("revoked");
    expect((await open(cookies.viewer)).status).toBe(403);

    await postForm(server.url, "/logout", cookies.commenter, {});
    await commenter.ended;
    expect(commenter.messages.at(-1)?.event).toBe("revoked");
  });
});
