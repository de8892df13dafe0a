import { describe, expect, it } from "vitest";
import type * as Y from "yjs";
import type { ThreadView } from "../../app/comments/types";
import { textWith, useAnchorTestServer } from "../helpers/anchors";
import { body, connectClient, eventually, type YClient } from "../helpers/yclient";
import { anchorFor, anchoredText, commentApi, json } from "./comment-api";

/**
 * Anchors follow their text through concurrent edits made by real y-websocket clients, resolved
 * with the same function the browser and the server use (app/comments/anchor.ts).
 */

const ctx = useAnchorTestServer();

async function openThread(client: YClient, needle: string): Promise<ThreadView> {
  const res = await commentApi(ctx.server.url, ctx.commenter).create(anchorFor(client.doc, needle), `About “${needle}”`);
  const { thread } = await json<{ thread: ThreadView }>(res, 201);
  expect(thread.quotedText).toBe(needle);
  expect(thread.detached).toBe(false);
  return thread;
}

async function serverThread(id: string): Promise<ThreadView> {
  const thread = (await commentApi(ctx.server.url, ctx.editor).threads()).find((t) => t.id === id);
  if (!thread) throw new Error(`thread ${id} missing from the list`);
  return thread;
}

describe("comment anchors under concurrent edits", () => {
  it("keep covering their text when two clients insert before, inside, at both edges and after it at once", async () => {
    const [a, b] = await Promise.all([connectClient(ctx.server.url, ctx.editor), connectClient(ctx.server.url, ctx.editor)]);
    const needle = "meeting of presidents";
    const thread = await openThread(a, needle);

    // Both clients edit from the same state without waiting for each other.
    const atA = textWith(a.doc, needle);
    const atB = textWith(b.doc, needle);
    atA.text.insert(atA.index + needle.length, " [after-edge]");
    atA.text.insert(atA.index + 7, " INSIDE-A"); // "meeting INSIDE-A of presidents"
    atA.text.insert(0, "Before: ");
    atB.text.insert(atB.index + needle.length + 20, "{far after}");
    atB.text.insert(atB.index + 10, "+B"); // "meeting of+B presidents"
    atB.text.insert(atB.index, "[before-edge] ");

    const expected = "meeting INSIDE-A of+B presidents";
    await eventually(() => {
      expect(anchoredText(a.doc, thread)).toBe(expected);
      expect(anchoredText(b.doc, thread)).toBe(expected);
    }, 10_000);

    // A client that joins later, and the server's own copy, agree.
    const c = await connectClient(ctx.server.url, ctx.commenter);
    expect(anchoredText(c.doc, thread)).toBe(expected);
    expect(body(c.doc).toString()).toContain("[before-edge] meeting INSIDE-A of+B presidents [after-edge]");
    await eventually(async () => expect((await serverThread(thread.id)).detached).toBe(false));
  });

  it("survives partial deletes and is detached, not lost, once all its text is deleted", async () => {
    const [a, b] = await Promise.all([connectClient(ctx.server.url, ctx.editor), connectClient(ctx.server.url, ctx.editor)]);
    const needle = "foreign ministers";
    const thread = await openThread(a, needle);

    const atA = textWith(a.doc, needle);
    atA.text.delete(atA.index, "foreign ".length);
    await eventually(() => expect(anchoredText(b.doc, thread)).toBe("ministers"));

    // B deletes the rest, together with some text around it.
    const atB = textWith(b.doc, "ministers");
    atB.text.delete(atB.index - 4, "ministers".length + 8);
    await eventually(() => {
      expect(anchoredText(a.doc, thread)).toBeNull();
      expect(anchoredText(b.doc, thread)).toBeNull();
    });
    await eventually(async () => {
      const stored = await serverThread(thread.id);
      expect(stored.detached).toBe(true);
      expect(stored.quotedText).toBe(needle);
      expect(stored.comments[0].body).toBe(`About “${needle}”`);
    });
  });

  it("detaches a thread whose whole paragraph is deleted", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    const needle = "importance of strong diplomatic relations";
    const thread = await openThread(a, needle);
    const { text } = textWith(a.doc, needle);
    const paragraph = text.parent as Y.XmlElement;
    const fragment = body(a.doc);
    fragment.delete(fragment.toArray().indexOf(paragraph), 1);
    expect(anchoredText(a.doc, thread)).toBeNull();
    await eventually(async () => expect((await serverThread(thread.id)).detached).toBe(true));
  });

  it("anchors at the very start of the document and keeps inserts at its edges outside", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    const thread = await openThread(a, "Kazakhstan");
    const heading = textWith(a.doc, "Kazakhstan").text;
    heading.insert(0, "Draft: ");
    expect(anchoredText(a.doc, thread)).toBe("Kazakhstan");
    heading.insert("Draft: Kazak".length, "-");
    expect(anchoredText(a.doc, thread)).toBe("Kazak-hstan");
  });

  it("refuses positions the server has not received yet with 409, and accepts them once synced", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    a.provider.disconnect();
    const { text } = textWith(a.doc, "Background");
    text.insert(0, "Offline words ");
    const anchor = anchorFor(a.doc, "Offline words");
    const api = commentApi(ctx.server.url, ctx.commenter);
    const early = await json<{ errors: Record<string, string[]> }>(await api.create(anchor, "Too early"), 409);
    expect(early.errors.anchorStart?.[0]).toMatch(/not reached the server/);

    a.provider.connect();
    await eventually(async () => {
      const res = await api.create(anchor, "Now it is there");
      const { thread } = await json<{ thread: ThreadView }>(res, 201);
      expect(thread.quotedText).toBe("Offline words");
    });
  });
});
