import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { plainText } from "../../app/suggestions/target";
import type { SuggestionView } from "../../app/suggestions/types";
import { json } from "../comments/comment-api";
import { textWith, useAnchorTestServer } from "../helpers/anchors";
import { body, connectClient, eventually } from "../helpers/yclient";
import { plainBody, spanAnchor, suggestionApi } from "./suggestion-api";

/**
 * Suggestions that run from inside one paragraph into a later one: stored with their two relative
 * positions, accepted as one change that deletes the range and merges the two blocks, refused
 * (400) when a quote, agenda topic or country fact lies inside.
 */

const ctx = useAnchorTestServer();
const s = () => suggestionApi(ctx.server.url, ctx.commenter);
const e = () => suggestionApi(ctx.server.url, ctx.editor);

/** The texts of the three paragraphs after the "Background" heading. */
function background(doc: Y.Doc): string[] {
  const blocks = body(doc).toArray();
  const at = blocks.findIndex((el) => el instanceof Y.XmlElement && el.nodeName === "heading" && el.toString().includes("Background"));
  return blocks.slice(at + 1, at + 4).map((el) => plainText((el as Y.XmlElement).get(0) as Y.XmlText));
}

describe("suggestions across blocks", () => {
  it("replaces exactly the range and merges the blocks, while others type before it and elsewhere", async () => {
    const [a, b, c] = await Promise.all([connectClient(ctx.server.url, ctx.editor), connectClient(ctx.server.url, ctx.editor), connectClient(ctx.server.url, ctx.editor)]);
    const [p1, p2] = background(a.doc);
    const startNeedle = p1.slice(-12);
    const endNeedle = p2.slice(0, 10);
    const { suggestion } = await json<{ suggestion: SuggestionView }>(await s().suggest(spanAnchor(a.doc, startNeedle, endNeedle), "[merged]"), 201);
    expect(suggestion.originalText).toBe(`${startNeedle}\n${endNeedle}`);
    expect(suggestion.outdated).toBe(false);
    // Listed for everyone, with its place found in the body.
    expect((await e().all()).find((x) => x.id === suggestion.id)).toMatchObject({ gone: false, outdated: false });

    // Typing at the end of the second block, which the server has before the accept.
    const tail = textWith(b.doc, p2.slice(-15));
    tail.text.insert(tail.index + 15, " [B after]");
    await eventually(() => expect(plainBody(c.doc)).toContain("[B after]"));

    // Typing right before the range and in another block, sent with the accept, without waiting.
    const head = textWith(a.doc, p1.slice(0, 12));
    head.text.insert(head.index, "[A before] ");
    const before = textWith(a.doc, startNeedle);
    before.text.insert(before.index, "(A at the edge) ");
    const accepting = e().accept(suggestion.id);
    const other = textWith(c.doc, "Prepare the delegation");
    other.text.insert(other.index, "[C elsewhere] ");
    expect((await accepting).status).toBe(200);

    const merged = `[A before] ${p1.slice(0, -12)}(A at the edge) [merged]${p2.slice(10)} [B after]`;
    await eventually(() => {
      for (const client of [a, b, c]) {
        expect(plainBody(client.doc)).toContain(merged);
        expect(plainBody(client.doc)).toContain("[C elsewhere] Prepare the delegation");
      }
    }, 10_000);
    // One block now: the merged text is one line, and the third paragraph follows it.
    expect(plainBody(a.doc)).toContain(`${merged}\n${background(a.doc)[1]}`);
    const late = await connectClient(ctx.server.url, ctx.commenter);
    expect(plainBody(late.doc)).toContain(merged);
  });

  it("deletes across a block between, and refuses an accept once typing inside the range changed it", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    const [p1, p2, p3] = background(a.doc);
    const { suggestion } = await json<{ suggestion: SuggestionView }>(await s().suggest(spanAnchor(a.doc, p1.slice(-5), p3.slice(0, 6)), ""), 201);
    expect(suggestion.originalText).toBe(`${p1.slice(-5)}\n${p2}\n${p3.slice(0, 6)}`);

    // Someone types inside the middle block: the suggestion is outdated, the accept refused, nothing written.
    const mid = textWith(a.doc, p2.slice(0, 8));
    mid.text.insert(mid.index + 3, "INSIDE");
    await eventually(async () => expect((await e().all()).find((x) => x.id === suggestion.id)!.outdated).toBe(true));
    const refused = await e().accept(suggestion.id);
    expect(refused.status).toBe(409);
    expect(plainBody(a.doc)).toContain(p1);
    // Reject is just a decision.
    await json(await e().reject(suggestion.id), 200);
    expect(plainBody(a.doc)).toContain(p3);

    // Made again over the current text, it applies: the three blocks become one.
    const [q1, q2, q3] = background(a.doc);
    const { suggestion: again } = await json<{ suggestion: SuggestionView }>(await s().suggest(spanAnchor(a.doc, q1.slice(-5), q3.slice(0, 6)), ""), 201);
    await json(await e().accept(again.id), 200);
    await eventually(() => expect(plainBody(a.doc)).toContain(`${q1.slice(0, -5)}${q3.slice(6)}`));
    expect(plainBody(a.doc)).not.toContain(q2);
  });

  it("refuses a range over a quote, an agenda topic or a country fact with 400 and a message", async () => {
    const a = await connectClient(ctx.server.url, ctx.editor);
    // "Key statements" heading, two quotes, "Country facts" heading.
    const res = await s().suggest(spanAnchor(a.doc, "statements", "Country"), "Statements and facts");
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("cannot span a quote, an agenda topic or a country fact");
    // Into a quote's own text as well.
    const intoQuote = await s().suggest(spanAnchor(a.doc, "statements", "We have always supported"), "x");
    expect(intoQuote.status).toBe(400);
  });
});
