import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MERGED_BLOCKS_MAP } from "../../app/suggestions/merged-block";
import { plainText } from "../../app/suggestions/target";
import type { SuggestionView } from "../../app/suggestions/types";
import { json } from "../comments/comment-api";
import { textWith } from "../helpers/anchors";
import { demoUser, loginAs } from "../helpers/http";
import { redisAvailable, startRedis, type TestRedis } from "../helpers/redis";
import { startTestCluster, startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";
import { plainBody, spanAnchor, suggestionApi } from "./suggestion-api";

/**
 * Typing in the end block of a suggestion across blocks that reaches the server only after the
 * accept merged that block away (docs/decisions/0602): the server moves it into the merged block,
 * for everyone and in storage, credited to the typist, also when the room was unloaded meanwhile
 * or the typing reaches another instance than the accept; after COLLAB_MERGED_BLOCK_MS it is lost.
 */

const servers: TestServer[] = [];
const redises: TestRedis[] = [];
afterEach(() => destroyAllClients());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all(redises.map((r) => r.stop()));
});

async function start(env: Record<string, string> = {}, databasePath?: string): Promise<TestServer> {
  const server = await startTestServer({ env, databasePath });
  servers.push(server);
  return server;
}

/** The texts of the paragraphs after the "Background" heading. */
function background(doc: Y.Doc): string[] {
  const blocks = body(doc).toArray();
  const at = blocks.findIndex((el) => el instanceof Y.XmlElement && el.nodeName === "heading" && el.toString().includes("Background"));
  return blocks.slice(at + 1, at + 4).map((el) => plainText((el as Y.XmlElement).get(0) as Y.XmlText));
}

/** The Y.XmlText of the block whose text starts with `start`. */
function blockStarting(doc: Y.Doc, start: string): Y.XmlText {
  for (const el of body(doc).toArray()) {
    const text = el instanceof Y.XmlElement ? el.get(0) : null;
    if (text instanceof Y.XmlText && plainText(text).startsWith(start)) return text;
  }
  throw new Error(`no block starts with "${start}"`);
}

const disconnected = (c: YClient) => eventually(() => expect(c.provider.wsconnected).toBe(false));

/**
 * B goes offline and types in the second Background paragraph's text after the suggested range:
 * right at its start, inside it (two keystrokes), and bold at its end. A accepts the suggestion
 * from the end of the first paragraph into the second. Returns what B typed and the merged line
 * that keeps all of it. B is on `bServer` (another instance, when given).
 */
async function acceptWhileBTypesOffline(server: TestServer, bServer: TestServer = server) {
  const [editor, owner, commenter] = await Promise.all([loginAs(server.url, "editor"), loginAs(bServer.url, "owner"), loginAs(server.url, "commenter")]);
  const a = await connectClient(server.url, editor);
  const b = await connectClient(bServer.url, owner);
  const [p1, p2] = background(a.doc);
  const startNeedle = p1.slice(-12);
  const endNeedle = p2.slice(0, 10);
  const rest = p2.slice(10);
  const { suggestion } = await json<{ suggestion: SuggestionView }>(
    await suggestionApi(server.url, commenter).suggest(spanAnchor(a.doc, startNeedle, endNeedle), "[merged]"),
    201,
  );

  b.provider.disconnect();
  await disconnected(b);
  const t = textWith(b.doc, p2).text;
  t.insert(10, "[edge]");
  t.insert(16 + 5, "[one]");
  t.insert(16 + 5 + 5, "+");
  t.insert(t.length, "[end]", { bold: {} });
  expect(plainText(t)).toBe(`${endNeedle}[edge]${rest.slice(0, 5)}[one]+${rest.slice(5)}[end]`);

  await json(await suggestionApi(server.url, editor).accept(suggestion.id), 200);
  const merged = `${p1.slice(0, -12)}[merged]${rest}`;
  await eventually(() => expect(plainBody(a.doc)).toContain(merged));
  const kept = `${p1.slice(0, -12)}[merged][edge]${rest.slice(0, 5)}[one]+${rest.slice(5)}[end]`;
  return { a, b, merged, kept, mergedStart: p1.slice(0, 20), owner };
}

describe("typing that reaches the server after an accept merged its block", () => {
  it("is moved into the merged block, in order, for everyone, stored and credited to the typist", async () => {
    const server = await start();
    const { a, b, kept, mergedStart } = await acceptWhileBTypesOffline(server);

    b.provider.connect();
    await eventually(() => {
      expect(plainBody(a.doc)).toContain(kept);
      expect(plainBody(b.doc)).toBe(plainBody(a.doc));
    }, 15_000);
    // The bold text stays bold; what was typed next to plain text is plain.
    const delta = blockStarting(a.doc, mergedStart).toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
    expect(delta.find((op) => op.insert.includes("[end]"))).toMatchObject({ insert: "[end]", attributes: { bold: {} } });
    expect(delta.find((op) => op.insert.includes("[one]+"))?.attributes?.bold).toBeUndefined();
    // One block: the merged line is followed by the third paragraph, not by the deleted one.
    expect(body(a.doc).toArray().filter((el) => el instanceof Y.XmlElement && el.get(0) instanceof Y.XmlText && plainText(el.get(0) as Y.XmlText).includes("[one]"))).toHaveLength(1);

    // The text was written again by the server, stored as a change of the typist's.
    const ownerId = (await eventually(() => {
      const db = new Database(server.databasePath, { readonly: true });
      try {
        const user = db.prepare("SELECT id FROM users WHERE email = ?").get(demoUser("owner").email) as { id: string };
        const rows = db.prepare("SELECT user_id, \"update\" FROM document_updates WHERE briefing_id = 'ankara-summit' ORDER BY id").all() as { user_id: string | null; update: Buffer }[];
        const withText = rows.filter((r) => Y.decodeUpdate(r.update).structs.some((s) => s instanceof Y.Item && s.content instanceof Y.ContentString && s.content.str.includes("[one]")));
        expect(withText.map((r) => r.user_id)).toEqual([user.id]);
        return user.id;
      } finally {
        db.close();
      }
    })) as string;
    expect(ownerId).toBeTruthy();

    // After a restart the stored document has it.
    await server.stop();
    const again = await start({}, server.databasePath);
    const fresh = await connectClient(again.url, await loginAs(again.url, "viewer"));
    expect(plainBody(fresh.doc)).toContain(kept);
  });

  it("is moved when the room was unloaded between the accept and the typing's arrival", async () => {
    const server = await start();
    const unloads = () => server.logs.filter((l) => l.message === "room unloaded").length;
    const { a, b, kept } = await acceptWhileBTypesOffline(server);
    const before = unloads();
    a.destroy();
    // Nobody is connected: the room stores and unloads; the merge's records are stored with it.
    await eventually(() => expect(unloads()).toBe(before + 1), 15_000);

    b.provider.connect();
    await eventually(() => expect(plainBody(b.doc)).toContain(kept), 15_000);
    const fresh = await connectClient(server.url, await loginAs(server.url, "viewer"));
    await eventually(() => expect(plainBody(fresh.doc)).toBe(plainBody(b.doc)), 15_000);
    expect(server.logs.some((l) => l.message === "late typing moved into a merged block")).toBe(true);
  });

  it.skipIf(!redisAvailable())("is moved by another instance than the one that accepted, whose room heard of the merge through Redis", async () => {
    const redis = await startRedis();
    redises.push(redis);
    const [first, second] = await startTestCluster(2, redis.url);
    servers.push(first, second);
    // A reader on the second instance keeps its room loaded: the merge reaches it through the fan-out.
    const reader = await connectClient(second.url, await loginAs(second.url, "viewer"));
    const { a, b, kept, merged } = await acceptWhileBTypesOffline(first, second);
    await eventually(() => expect(plainBody(reader.doc)).toContain(merged), 15_000);

    b.provider.connect();
    await eventually(() => {
      expect(plainBody(a.doc)).toContain(kept);
      expect(plainBody(reader.doc)).toBe(plainBody(a.doc));
      expect(plainBody(b.doc)).toBe(plainBody(a.doc));
    }, 15_000);
    expect(second.logs.some((l) => l.message === "late typing moved into a merged block")).toBe(true);
    expect(second.logs.some((l) => l.message === "room unloaded")).toBe(false);
  });

  it("is not copied on the word of a record an editor's client wrote: text that stands in a live block stays once", async () => {
    const server = await start();
    const [editor, owner] = await Promise.all([loginAs(server.url, "editor"), loginAs(server.url, "owner")]);
    const forger = await connectClient(server.url, editor);
    const typist = await connectClient(server.url, owner);
    const [p1, p2] = background(forger.doc);
    // A record claiming every character of the typist's came from a merged-away block, copied to p2.
    const elsewhere = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(textWith(forger.doc, p2).text, 0));
    const record = { from: [typist.doc.clientID, 0], length: 1_000_000_000, spot: { rel: elsewhere, marks: null }, marks: null, expires: Date.now() + 3_600_000 };
    forger.doc.getMap(MERGED_BLOCKS_MAP).set(`s:${typist.doc.clientID}:0`, record);
    await eventually(() => expect(typist.doc.getMap(MERGED_BLOCKS_MAP).size).toBe(1));

    // Two updates: the second's left neighbour is the typist's own first character, inside the record.
    const t = textWith(typist.doc, p1).text;
    t.insert(t.length, "[v1]");
    await eventually(() => expect(plainBody(forger.doc)).toContain("[v1]"));
    t.insert(t.length, "[v2]");
    await eventually(() => expect(plainBody(forger.doc)).toContain("[v1][v2]"));
    const fresh = await connectClient(server.url, await loginAs(server.url, "viewer"));
    expect(plainBody(fresh.doc).split("[v2]")).toHaveLength(2);
    expect(server.logs.some((l) => l.message === "late typing moved into a merged block")).toBe(false);
  });

  it("is lost once the merge is older than COLLAB_MERGED_BLOCK_MS", async () => {
    const server = await start({ COLLAB_MERGED_BLOCK_MS: "1" });
    const { a, b, merged } = await acceptWhileBTypesOffline(server);
    b.provider.connect();
    await eventually(() => expect(b.provider.synced && plainBody(b.doc) === plainBody(a.doc)).toBe(true), 15_000);
    expect(plainBody(a.doc)).toContain(merged);
    expect(plainBody(a.doc)).not.toContain("[one]");
    expect(server.logs.some((l) => l.message === "late typing moved into a merged block")).toBe(false);
  });
});
