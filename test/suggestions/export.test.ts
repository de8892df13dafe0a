import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { flat, pdfText } from "../export/pdf-tools";
import { get, loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, type YClient } from "../helpers/yclient";
import { suggestionApi, topicTitleAnchor } from "./suggestion-api";

/** A draft PDF shows open suggestions as markup on request, and the clean text by default. */

let server: TestServer;
let commenter: string;
let editor: string;
let client: YClient;
beforeAll(async () => {
  server = await startTestServer();
  [commenter, editor] = await Promise.all([loginAs(server.url, "commenter"), loginAs(server.url, "editor")]);
  client = await connectClient(server.url, editor);
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

const EXPORT = "/briefings/ankara-summit/export.pdf";

async function pdf(query: string): Promise<string> {
  const res = await get(server.url, EXPORT + query, editor);
  expect(res.status).toBe(200);
  return flat(pdfText(Buffer.from(await res.arrayBuffer())));
}

describe("draft PDF with suggestions", () => {
  it("prints the clean text by default and both wordings with ?suggestions=markup", async () => {
    const api = suggestionApi(server.url, commenter);
    await json<{ suggestion: SuggestionView }>(await api.suggest(anchorFor(client.doc, "meeting of presidents"), "summit of heads of state"), 201);
    await json(await api.suggest(topicTitleAnchor(client.doc, "Trade volume"), "Trade and investment", "topicTitle"), 201);

    const clean = await pdf("");
    expect(clean).toContain("meeting of presidents");
    expect(clean).not.toContain("summit of heads of state");
    expect(clean).not.toContain("Trade and investment");

    const marked = await pdf("?suggestions=markup");
    expect(marked).toContain("meeting of presidentssummit of heads of state");
    expect(marked).toContain("Trade volume [suggested: Trade and investment]");
    // The live document is untouched.
    expect(await pdf("?suggestions=clean")).not.toContain("summit of heads of state");
  }, 60_000);

  it("refuses an unknown value with 400", async () => {
    const res = await get(server.url, `${EXPORT}?suggestions=everything`, editor);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("markup");
  });
});
