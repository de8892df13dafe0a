import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";

// Edits made through a stock y-websocket client reach the block tables and the search index
// through the real server: PROJECTION_DEBOUNCE_MS after the last change, plus the projection
// thread's start when it had ended after the start-up backfill (docs/decisions/0117), which on a
// busy machine takes seconds. The waits are for the rows to follow, not a latency measure.
const FOLLOW_MS = 20_000;
let server: TestServer;
let sqlite: Database.Database;
let editorCookie: string;

beforeAll(async () => {
  server = await startTestServer({ env: { PROJECTION_DEBOUNCE_MS: "150" } });
  sqlite = new Database(server.databasePath, { readonly: true, fileMustExist: true });
  editorCookie = await loginAs(server.url, "editor");
});
afterEach(() => destroyAllClients());
afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

const quoteRow = (blockId: string) =>
  sqlite.prepare("select speaker, text from quotes where briefing_id = 'ankara-summit' and block_id = ?").get(blockId) as { speaker: string; text: string } | undefined;
const factRow = (blockId: string) =>
  sqlite.prepare("select country, label, value from country_facts where briefing_id = 'ankara-summit' and block_id = ?").get(blockId) as Record<string, string> | undefined;
const searchHits = (term: string) =>
  (sqlite.prepare("select briefing_id from briefing_search where briefing_search match ?").all(`"${term}"`) as { briefing_id: string }[]).map((r) => r.briefing_id);

function findBlock(fragment: Y.XmlFragment, blockId: string): Y.XmlElement {
  for (const node of fragment.createTreeWalker((n) => n instanceof Y.XmlElement && n.getAttribute("blockId") === blockId)) return node as Y.XmlElement;
  throw new Error(`no block ${blockId}`);
}

describe("live projection", () => {
  it("projects the seeded briefing at start, before anyone opens it", async () => {
    await eventually(() => expect(quoteRow("quote-cavusoglu")?.speaker).toBe("Mevlüt Çavuşoğlu"), 5000);
    expect(searchHits("Cavusoglu")).toEqual(["ankara-summit"]);
  });

  it("follows edits: a changed quote, a new fact, a deleted quote", async () => {
    const client = await connectClient(server.url, editorCookie);
    const fragment = body(client.doc);

    const quote = findBlock(fragment, "quote-cavusoglu");
    quote.setAttribute("speaker", "Mevlüt Çavuşoğlu (FM)");
    await eventually(() => expect(quoteRow("quote-cavusoglu")?.speaker).toBe("Mevlüt Çavuşoğlu (FM)"), FOLLOW_MS);

    const fact = new Y.XmlElement("countryFact");
    for (const [k, v] of Object.entries({ blockId: "fact-live", country: "UZ", label: "Summit guest", value: "Samarkand delegation", asOf: "2026-11-20" })) fact.setAttribute(k, v);
    fragment.insert(fragment.length, [fact]);
    await eventually(() => expect(factRow("fact-live")).toEqual({ country: "UZ", label: "Summit guest", value: "Samarkand delegation" }), FOLLOW_MS);
    await eventually(() => expect(searchHits("Samarkand")).toEqual(["ankara-summit"]), FOLLOW_MS);

    const parent = quote.parent as Y.XmlFragment;
    const index = parent.toArray().indexOf(quote);
    parent.delete(index, 1);
    await eventually(() => expect(quoteRow("quote-cavusoglu")).toBeUndefined(), FOLLOW_MS);
    expect(quoteRow("quote-tleuberdi")?.text).toBe("Turkey and Kazakhstan have great potential for cooperation");
  });
});
