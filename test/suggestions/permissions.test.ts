import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SuggestionsPayload, SuggestionView } from "../../app/suggestions/types";
import { get, loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";
import { anchorFor, json } from "../comments/comment-api";
import { caretAfter, plainBody, suggestionApi, topicElement, topicTitleAnchor } from "./suggestion-api";

/** Who may suggest, accept and reject, enforced by the server over real HTTP. */

let server: TestServer;
let cookies: Record<"owner" | "editor" | "commenter" | "viewer", string>;
let client: YClient;
beforeAll(async () => {
  server = await startTestServer();
  const [owner, editor, commenter, viewer] = await Promise.all((["owner", "editor", "commenter", "viewer"] as const).map((r) => loginAs(server.url, r)));
  cookies = { owner, editor, commenter, viewer };
  client = await connectClient(server.url, owner);
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

const api = (role: keyof typeof cookies) => suggestionApi(server.url, cookies[role]);

async function suggest(role: keyof typeof cookies, needle: string, replacement: string): Promise<SuggestionView> {
  return (await json<{ suggestion: SuggestionView }>(await api(role).suggest(anchorFor(client.doc, needle), replacement), 201)).suggestion;
}

describe("suggestion permissions", () => {
  it("lets every member read; says who may suggest and decide; refuses strangers (403), unknown briefings (404) and signed-out callers (401)", async () => {
    for (const role of ["owner", "editor", "commenter", "viewer"] as const) {
      const payload = await json<SuggestionsPayload>(await api(role).list(), 200);
      expect(payload.viewer.canSuggest).toBe(role !== "viewer");
      expect(payload.viewer.canDecide).toBe(role === "owner" || role === "editor");
    }
    expect((await suggestionApi(server.url, null).list()).status).toBe(401);
    const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider-s@example.test", password: "long enough password" });
    const stranger = suggestionApi(server.url, signup.headers.get("set-cookie")!.split(";")[0]);
    expect((await stranger.list()).status).toBe(403);
    expect((await stranger.suggest(anchorFor(client.doc, "Purpose"), "Aim")).status).toBe(403);
    const unknown = suggestionApi(server.url, cookies.owner, "no-such-briefing");
    expect((await unknown.list()).status).toBe(404);
    expect((await unknown.suggest(anchorFor(client.doc, "Purpose"), "Aim")).status).toBe(404);
    expect((await api("owner").accept("no-such-suggestion")).status).toBe(404);
  });

  it("refuses viewers every write with 403", async () => {
    expect((await api("viewer").suggest(anchorFor(client.doc, "Purpose"), "Aim")).status).toBe(403);
    const s = await suggest("commenter", "regional security", "regional stability");
    expect((await api("viewer").accept(s.id)).status).toBe(403);
    expect((await api("viewer").reject(s.id)).status).toBe(403);
    expect((await api("viewer").reply(s.id, "no")).status).toBe(403);
    await json(await api("editor").reject(s.id), 200);
  });

  it("lets a commenter suggest but not accept or reject; an editor accepts and the live document changes", async () => {
    const s = await suggest("commenter", "Prepare the delegation", "Brief the delegation");
    expect(s).toMatchObject({ originalText: "Prepare the delegation", replacement: "Brief the delegation", status: "open", authorId: "demo-commenter", outdated: false });
    expect(s.authorColor).toMatch(/^#/);
    const accepting = await api("commenter").accept(s.id);
    expect(accepting.status).toBe(403);
    expect(await accepting.text()).toContain("editor role");
    expect((await api("commenter").reject(s.id)).status).toBe(403);
    expect(plainBody(client.doc)).toContain("Prepare the delegation");

    const accepted = await json<{ suggestion: SuggestionView }>(await api("editor").accept(s.id), 200);
    expect(accepted.suggestion).toMatchObject({ status: "accepted", acceptedByName: "Emre Yıldız", authorName: "Dana Seitkali" });
    expect(accepted.suggestion.acceptedAt).toBeGreaterThan(0);
    // The owner's live client got the change over its socket.
    await eventually(() => expect(plainBody(client.doc)).toContain("Brief the delegation for the meeting"));
    expect(plainBody(client.doc)).not.toContain("Prepare the delegation");
    // The suggester is told, in the notifications list, who accepted which wording.
    const inbox = await get(server.url, "/notifications", cookies.commenter);
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain("Emre Yıldız accepted your suggestion “Brief the delegation”");
    // Decided once: a second accept or a reject is a conflict.
    expect((await api("owner").accept(s.id)).status).toBe(409);
    expect((await api("owner").reject(s.id)).status).toBe(409);
  });

  it("stores an accepted change once, on the accepter's name, so a restart has it", async () => {
    const s = await suggest("commenter", "main focus", "principal focus");
    await json(await api("owner").accept(s.id), 200);
    await eventually(() => expect(plainBody(client.doc)).toContain("principal focus"));
    const fresh = await connectClient(server.url, cookies.viewer);
    expect(plainBody(fresh.doc)).toContain("principal focus");
    fresh.destroy();
  });

  it("suggests insertions at a caret, deletions (empty replacement), topic titles and quoted words", async () => {
    const insertion = (await json<{ suggestion: SuggestionView }>(await api("commenter").suggest(caretAfter(client.doc, "Mevlüt Çavuşoğlu"), " (both in office since 2017)"), 201)).suggestion;
    expect(insertion.originalText).toBe("");
    const deletion = await suggest("commenter", " The summit’s principal", "");
    expect(deletion.originalText).toBe(" The summit’s principal");
    const title = (await json<{ suggestion: SuggestionView }>(await api("commenter").suggest(topicTitleAnchor(client.doc, "Trade volume"), "Trade and investment", "topicTitle"), 201)).suggestion;
    expect(title).toMatchObject({ kind: "topicTitle", originalText: "Trade volume" });
    const quote = await suggest("commenter", "We have always supported", "We have consistently supported");

    for (const id of [insertion.id, deletion.id, title.id, quote.id]) await json(await api("editor").accept(id), 200);
    await eventually(() => {
      const text = plainBody(client.doc);
      expect(text).toContain("Mevlüt Çavuşoğlu (both in office since 2017). focus");
      expect(text).toContain("We have consistently supported");
      expect(topicElement(client.doc, "Trade and investment")).toBeTruthy();
    });
  });

  it("refuses what is not a suggestion with 400 and a message", async () => {
    const same = await api("commenter").suggest(anchorFor(client.doc, "Background"), "Background");
    expect(same.status).toBe(400);
    expect(JSON.stringify(await same.json())).toContain("same as the text");
    const empty = await api("commenter").suggest(caretAfter(client.doc, "Background"), "");
    expect(empty.status).toBe(400);
    const lines = await api("commenter").suggest(anchorFor(client.doc, "Background"), "Two\nlines");
    expect(lines.status).toBe(400);
    expect(JSON.stringify(await lines.json())).toContain("line break");
    const garbage = await api("commenter").suggest({ start: "%%%", end: "%%%" }, "x");
    expect(garbage.status).toBe(400);
    const long = await api("commenter").suggest(anchorFor(client.doc, "Background"), "x".repeat(2001));
    expect(long.status).toBe(400);
    expect((await api("commenter").post("", { intent: "nonsense" })).status).toBe(400);
    expect((await api("editor").post("/whatever", { intent: "accept" })).status).toBe(404);
  });

  it("accepts or rejects all of one person's open suggestions", async () => {
    const a = await suggest("commenter", "Country facts", "Facts by country");
    const b = await suggest("commenter", "Turkic Council", "Organization of Turkic States");
    const mine = await suggest("editor", "Key statements", "Statements");
    expect((await api("commenter").rejectAll("demo-commenter")).status).toBe(403);
    const result = await json<{ decided: string[] }>(await api("owner").rejectAll("demo-commenter"), 200);
    expect(result.decided).toEqual(expect.arrayContaining([a.id, b.id]));
    const all = await api("viewer").all();
    expect(all.find((s) => s.id === a.id)).toMatchObject({ status: "rejected", rejectedByName: "Aigerim Nurpeisova" });
    expect(all.find((s) => s.id === mine.id)!.status).toBe("open");
    expect(plainBody(client.doc)).toContain("Country facts");
  });

  it("gives a suggestion its own comment thread on the first reply", async () => {
    const s = await suggest("commenter", "Hungary as an observer", "Hungary as an observer state");
    const first = await json<{ suggestion: SuggestionView; thread: { id: string; comments: { body: string }[] } }>(await api("editor").reply(s.id, "Is that the official term?"), 201);
    expect(first.suggestion.threadId).toBe(first.thread.id);
    const second = await json<{ thread: { id: string; comments: { body: string }[] } }>(await api("commenter").reply(s.id, "Yes, per the charter."), 201);
    expect(second.thread.id).toBe(first.thread.id);
    expect(second.thread.comments.map((c) => c.body)).toEqual(["Is that the official term?", "Yes, per the charter."]);
  });
});
