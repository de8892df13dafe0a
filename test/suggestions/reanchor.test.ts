import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { CommentEvent } from "../../app/comments/types";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { openEventStream } from "../helpers/event-stream";
import { postForm, loginAll } from "../helpers/http";
import { finalizeCleared, toReview } from "../helpers/review";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, DEMO_BRIEFING, destroyAllClients, eventually, type YClient } from "../helpers/yclient";
import { caretAfter, plainBody, suggestionApi, topicElement, topicTitleAnchor } from "./suggestion-api";

/**
 * A moved agenda topic is a new Y element (Yjs has no move), so the suggestions anchored in it
 * lose their place; the editor who moved it re-anchors them with intent=reanchor, which the server
 * checks: who, whether the briefing is final, whether the suggestion is open, and whether the new
 * place holds exactly what the suggestion was made on.
 */

type Role = "owner" | "editor" | "commenter" | "viewer";
let server: TestServer;
let cookies: Record<Role, string>;
let owner: YClient;
beforeAll(async () => {
  server = await startTestServer();
  cookies = await loginAll(server.url);
  owner = await connectClient(server.url, cookies.owner);
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

const api = (role: Role) => suggestionApi(server.url, cookies[role]);
const reanchor = (role: Role, id: string, anchor: { start: string; end: string }) => api(role).post(`/${id}`, { intent: "reanchor", anchorStart: anchor.start, anchorEnd: anchor.end });

async function made(res: Response): Promise<SuggestionView> {
  return (await json<{ suggestion: SuggestionView }>(res, 201)).suggestion;
}

async function view(id: string): Promise<SuggestionView> {
  const res = await fetch(`${server.url}/briefings/${DEMO_BRIEFING}/suggestions/${id}`, { headers: { Cookie: cookies.viewer } });
  return (await json<{ suggestion: SuggestionView }>(res, 200)).suggestion;
}

async function formError(res: Response, status: number): Promise<string> {
  const { errors } = await json<{ errors: Record<string, string[]> }>(res, status);
  return Object.values(errors).flat().join(" ");
}

/** Moves the agenda topic titled `title` one place up as y-tiptap writes a move: a delete and an insert of a copy. */
function moveTopicUp(doc: Y.Doc, title: string): void {
  const fragment = body(doc);
  const i = fragment.toArray().indexOf(topicElement(doc, title));
  doc.transact(() => {
    const copy = topicElement(doc, title).clone();
    fragment.delete(i, 1);
    fragment.insert(i - 1, [copy]);
  });
}

/** The comments live channel (Server-Sent Events) as a page reads it: its comment events. */
async function subscribe(cookie: string): Promise<{ readonly events: CommentEvent[]; close: () => void }> {
  const stream = await openEventStream(server.url, `/briefings/${DEMO_BRIEFING}/comments/events`, cookie);
  return {
    get events() {
      return stream.messages.filter((m) => m.event === "message").map((m) => m.data as CommentEvent);
    },
    close: stream.close,
  };
}

describe("suggestions that follow a moved agenda topic", () => {
  it("lets editors and owners put a moved topic's title, replacement and insertion suggestions on its new place, refuses commenters and viewers (403), publishes the place, and accepting then applies them", async () => {
    const title = await made(await api("commenter").suggest(topicTitleAnchor(owner.doc, "Trade volume"), "Trade and investment", "topicTitle"));
    const replacement = await made(await api("commenter").suggest(anchorFor(owner.doc, "increasing trade volume"), "doubling trade"));
    const insertion = await made(await api("commenter").suggest(caretAfter(owner.doc, "Economic cooperation"), " and investment"));
    const live = await subscribe(cookies.viewer);
    try {
      moveTopicUp(owner.doc, "Trade volume");
      // The server has the move: all three lost their place, none is outdated.
      await eventually(async () => {
        for (const s of [title, replacement, insertion]) expect(await view(s.id)).toMatchObject({ status: "open", gone: true });
      }, 15_000);

      const places = { [title.id]: topicTitleAnchor(owner.doc, "Trade volume"), [replacement.id]: anchorFor(owner.doc, "increasing trade volume"), [insertion.id]: caretAfter(owner.doc, "Economic cooperation") };
      for (const role of ["commenter", "viewer"] as const) {
        for (const s of [title, replacement, insertion]) {
          const res = await reanchor(role, s.id, places[s.id]);
          expect(res.status, role).toBe(403);
          expect(await res.text()).toContain("editor role");
        }
      }
      expect(await view(title.id)).toMatchObject({ gone: true, anchorStart: title.anchorStart });

      for (const [role, s] of [["editor", title], ["owner", replacement], ["editor", insertion]] as const) {
        const moved = (await json<{ suggestion: SuggestionView }>(await reanchor(role, s.id, places[s.id]), 200)).suggestion;
        expect(moved).toMatchObject({ id: s.id, status: "open", gone: false, outdated: false, anchorStart: places[s.id].start, anchorEnd: places[s.id].end, originalText: s.originalText });
        expect(await view(s.id)).toMatchObject({ gone: false, outdated: false, anchorStart: places[s.id].start });
      }
      // Every open page hears of the new place on the live channel.
      await eventually(() => {
        const seen = live.events.flatMap((e) => (e.type === "suggestion" ? [e.suggestion] : []));
        for (const s of [title, replacement, insertion]) expect(seen.some((v) => v.id === s.id && v.anchorStart === places[s.id].start && !v.gone)).toBe(true);
      }, 10_000);
    } finally {
      live.close();
    }

    for (const s of [title, replacement, insertion]) await json(await api("editor").accept(s.id), 200);
    await eventually(() => {
      const text = plainBody(owner.doc);
      expect(text).toContain("The ministers discussed doubling trade between Kazakhstan and Türkiye.");
      expect(text).toContain("Economic cooperation and investment was one of the focuses");
      expect(topicElement(owner.doc, "Trade and investment")).toBeTruthy();
    }, 10_000);
  }, 60_000);

  it("moves a suggestion's discussion with it", async () => {
    const s = await made(await api("commenter").suggest(anchorFor(owner.doc, "Welcome a programme of cultural years"), "Propose cultural years"));
    const { thread } = await json<{ thread: { id: string } }>(await api("commenter").reply(s.id, "Which years?"), 201);
    moveTopicUp(owner.doc, "Cultural ties");
    await eventually(async () => expect((await view(s.id)).gone).toBe(true), 15_000);
    const place = anchorFor(owner.doc, "Welcome a programme of cultural years");
    await json(await reanchor("editor", s.id, place), 200);
    const res = await fetch(`${server.url}/briefings/${DEMO_BRIEFING}/comments/${thread.id}`, { headers: { Cookie: cookies.viewer } });
    const moved = (await json<{ thread: { anchorStart: string; detached: boolean; quotedText: string } }>(res, 200)).thread;
    expect(moved).toMatchObject({ anchorStart: place.start, detached: false, quotedText: "Welcome a programme of cultural years" });
  }, 60_000);

  it("refuses a place that does not hold the suggestion's text or title (409, saying why), what is not a place (400), unknown (404) and decided suggestions (409)", async () => {
    const text = await made(await api("commenter").suggest(anchorFor(owner.doc, "Propose a working group"), "Set up a working group"));
    const wrongText = await reanchor("editor", text.id, anchorFor(owner.doc, "Agree on a target"));
    expect(await formError(wrongText, 409)).toBe("The text there is “Agree on a target”, not “Propose a working group”, the text this suggestion changes.");
    const title = await made(await api("commenter").suggest(topicTitleAnchor(owner.doc, "Tourism"), "Tourism and travel", "topicTitle"));
    const wrongTitle = await reanchor("owner", title.id, topicTitleAnchor(owner.doc, "Regional security"));
    expect(await formError(wrongTitle, 409)).toBe("That topic's title is “Regional security”, not “Tourism”, the title this suggestion renames.");
    expect(await formError(await reanchor("owner", title.id, anchorFor(owner.doc, "Propose a working group")), 409)).toContain("only to an agenda topic");
    const insertion = await made(await api("commenter").suggest(caretAfter(owner.doc, "Propose a working group"), " soon"));
    expect(await formError(await reanchor("editor", insertion.id, anchorFor(owner.doc, "working group")), 409)).toContain("one place in the text");
    // The text suggestion cannot be carried onto a topic title, nor the title onto a caret.
    expect((await reanchor("editor", text.id, topicTitleAnchor(owner.doc, "Tourism"))).status).toBe(409);
    expect((await reanchor("editor", title.id, caretAfter(owner.doc, "Propose"))).status).toBe(409);

    expect((await reanchor("editor", text.id, { start: "%%%", end: "%%%" })).status).toBe(400);
    expect((await api("editor").post(`/${text.id}`, { intent: "reanchor" })).status).toBe(400);
    expect((await reanchor("editor", "no-such-suggestion", anchorFor(owner.doc, "Propose a working group"))).status).toBe(404);
    for (const s of [text, title, insertion]) expect(await view(s.id)).toMatchObject({ anchorStart: s.anchorStart, anchorEnd: s.anchorEnd, status: "open" });

    await json(await api("editor").reject(text.id), 200);
    expect(await formError(await reanchor("editor", text.id, anchorFor(owner.doc, "Propose a working group")), 409)).toContain("already rejected");
    // The right place is accepted, so the refusals above were about the place.
    await json(await reanchor("editor", title.id, topicTitleAnchor(owner.doc, "Tourism")), 200);
  }, 60_000);

  it("refuses on a final briefing (409) and leaves the anchor as it was", async () => {
    const s = await made(await api("commenter").suggest(anchorFor(owner.doc, "Prepare the delegation"), "Security in the region"));
    expect((await postForm(server.url, `/briefings/${DEMO_BRIEFING}/status`, cookies.owner, toReview())).status).toBe(200);
    expect((await finalizeCleared(server.url, DEMO_BRIEFING, cookies.owner, cookies.commenter)).status).toBe(200);
    for (const role of ["editor", "owner"] as const) {
      expect(await formError(await reanchor(role, s.id, anchorFor(owner.doc, "Prepare the delegation")), 409)).toBe("The briefing is final; reopen it before its text can change.");
    }
    expect((await reanchor("commenter", s.id, anchorFor(owner.doc, "Prepare the delegation"))).status).toBe(403);
    expect(await view(s.id)).toMatchObject({ anchorStart: s.anchorStart, status: "open" });
  }, 60_000);
});
