import { describe, expect, it } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { textWith, useAnchorTestServer } from "../helpers/anchors";
import { connectClient, eventually } from "../helpers/yclient";
import { plainBody, suggestionApi, topicElement, topicTitleAnchor } from "./suggestion-api";

/**
 * Accepting a suggestion while stock y-websocket clients type around its text: the server's
 * change merges with theirs, and a suggestion whose text changed meanwhile is never applied.
 */

const ctx = useAnchorTestServer();

const s = () => suggestionApi(ctx.server.url, ctx.commenter);
const e = () => suggestionApi(ctx.server.url, ctx.editor);

describe("suggestions under concurrent edits", () => {
  it("accepted while two clients type right before and right after the text: everyone's typing and the replacement survive", async () => {
    const [a, b] = await Promise.all([connectClient(ctx.server.url, ctx.editor), connectClient(ctx.server.url, ctx.editor)]);
    const needle = "meeting of presidents";
    const { suggestion } = await json<{ suggestion: SuggestionView }>(await s().suggest(anchorFor(a.doc, needle), "summit of heads of state"), 201);

    // Both clients type at the edges, and the accept is sent, without waiting for each other.
    const atA = textWith(a.doc, needle);
    const atB = textWith(b.doc, needle);
    atA.text.insert(atA.index, "[A before] ");
    atB.text.insert(atB.index + needle.length, " [B after]");
    const accepting = e().accept(suggestion.id);
    atA.text.insert(0, "A-start ");
    atB.text.insert(textWith(b.doc, "[B after]").index + "[B after]".length, " B-more");
    const res = await accepting;
    // Either the accept saw the typing (the anchors kept the edges outside) or came first: both merge.
    expect(res.status).toBe(200);

    const expected = "[A before] summit of heads of state [B after] B-more";
    await eventually(() => {
      expect(plainBody(a.doc)).toContain(expected);
      expect(plainBody(b.doc)).toContain(expected);
      expect(plainBody(a.doc)).toContain("A-start ");
    }, 10_000);
    expect(plainBody(a.doc)).not.toContain(`[A before] ${needle}`);
    // A client joining later (from the room, then from storage once it unloads) has the same text.
    const c = await connectClient(ctx.server.url, ctx.commenter);
    expect(plainBody(c.doc)).toContain(expected);
  });

  it("shows a suggestion whose text was edited meanwhile as outdated and answers 409 on accept, applying nothing", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    const needle = "foreign ministers";
    const { suggestion } = await json<{ suggestion: SuggestionView }>(await s().suggest(anchorFor(a.doc, needle), "Foreign Ministers"), 201);
    expect(suggestion.outdated).toBe(false);

    const at = textWith(a.doc, needle);
    at.text.insert(at.index + "foreign".length, " affairs"); // "foreign affairs ministers", inside the anchors
    await eventually(async () => expect((await e().all()).find((x) => x.id === suggestion.id)!.outdated).toBe(true));

    const refused = await e().accept(suggestion.id);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain("outdated");
    expect(plainBody(a.doc)).toContain("foreign affairs ministers");
    expect(plainBody(a.doc)).not.toContain("Foreign Ministers");
    expect((await e().all()).find((x) => x.id === suggestion.id)!.status).toBe("open");
    // Rejecting it is still possible.
    await json(await e().reject(suggestion.id), 200);
  });

  it("treats a deleted text as outdated and a changed topic title as outdated too", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    const { suggestion: gone } = await json<{ suggestion: SuggestionView }>(await s().suggest(anchorFor(a.doc, "combating terrorism"), "fighting terrorism"), 201);
    const at = textWith(a.doc, "combating terrorism");
    at.text.delete(at.index, "combating terrorism".length);
    const { suggestion: title } = await json<{ suggestion: SuggestionView }>(await s().suggest(topicTitleAnchor(a.doc, "Cultural ties"), "Culture", "topicTitle"), 201);
    topicElement(a.doc, "Cultural ties").setAttribute("title", "Cultural and people-to-people ties");
    await eventually(async () => {
      const all = await e().all();
      expect(all.find((x) => x.id === gone.id)!.outdated).toBe(true);
      expect(all.find((x) => x.id === title.id)!.outdated).toBe(true);
    });
    expect((await e().accept(gone.id)).status).toBe(409);
    expect((await e().accept(title.id)).status).toBe(409);
    expect(topicElement(a.doc, "Cultural and people-to-people ties")).toBeTruthy();
  });

  it("applies an accept to a briefing nobody has open, and stores it", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    const { suggestion } = await json<{ suggestion: SuggestionView }>(await s().suggest(anchorFor(a.doc, "Improving cultural ties"), "Closer cultural ties"), 201);
    a.destroy();
    await json(await e().accept(suggestion.id), 200);
    const b = await connectClient(ctx.server.url, ctx.commenter);
    expect(plainBody(b.doc)).toContain(suggestion.replacement);
  });
});
