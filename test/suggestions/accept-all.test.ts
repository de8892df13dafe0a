import * as decoding from "lib0/decoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { loginAs } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { textWith } from "../helpers/anchors";
import { connectClient, DEMO_BRIEFING, destroyAllClients, eventually, rawSocket } from "../helpers/yclient";
import { plainBody, suggestionApi } from "./suggestion-api";

/**
 * Accepting all of one person's suggestions is one change of the document: one stored update and
 * one broadcast frame, with every accepted wording in it and an outdated one left out.
 */

// One dialect's server at a time: each dialect's describe below starts its own and stops it before the next.
let env: DialectServer;
let server: TestServer;
let commenter: string;
let editor: string;
let viewer: string;

/** How many of the socket's messages are document updates (sync message, step "update"). */
function updateFrames(messages: Buffer[]): number {
  let n = 0;
  for (const m of messages) {
    const d = decoding.createDecoder(new Uint8Array(m));
    if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 2) n++;
  }
  return n;
}

async function storedUpdatesBy(userId: string): Promise<number> {
  return (await env.sql<{ n: number }>("select count(*) as n from document_updates where briefing_id = ? and user_id = ?", [DEMO_BRIEFING, userId]))[0].n;
}

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`accept all on ${dialect.name}`, { timeout: 120_000 }, () => {
    beforeAll(async () => {
      env = await dialect.start();
      server = env.server;
      [commenter, editor, viewer] = await Promise.all([loginAs(server.url, "commenter"), loginAs(server.url, "editor"), loginAs(server.url, "viewer")]);
    }, 120_000);
    afterEach(() => destroyAllClients());
    afterAll(async () => {
      await env?.close();
    });

    describe("accept all of one person's suggestions", () => {
      it("writes them in one transaction: one stored update, one broadcast frame, every accepted text there", async () => {
        const a = await connectClient(server.url, editor);
        const api = suggestionApi(server.url, commenter);
        const pairs = [
          ["Country facts", "Facts by country"],
          ["Turkic Council", "Organization of Turkic States"],
          ["meeting of presidents", "summit of heads of state"],
          ["foreign ministers", "Foreign Ministers"],
        ] as const;
        const made: SuggestionView[] = [];
        for (const [needle, replacement] of pairs) made.push((await json<{ suggestion: SuggestionView }>(await api.suggest(anchorFor(a.doc, needle), replacement), 201)).suggestion);
        // One more, made outdated by an edit inside its text before the accept.
        const outdated = (await json<{ suggestion: SuggestionView }>(await api.suggest(anchorFor(a.doc, "Key statements"), "Statements"), 201)).suggestion;
        const storedBeforeEdit = await storedUpdatesBy("demo-editor");
        const at = textWith(a.doc, "Key statements");
        at.text.insert(at.index + "Key".length, " public");
        await eventually(async () => expect((await api.all()).find((x) => x.id === outdated.id)!.outdated).toBe(true));
        // The edit is stored (group commit) before the count the accept is measured against is read.
        await eventually(async () => expect(await storedUpdatesBy("demo-editor")).toBeGreaterThan(storedBeforeEdit), 10_000);

        const socket = rawSocket(server.url, viewer);
        await socket.opened;
        // The viewer's socket has had its initial sync once the server answered its first message.
        await eventually(() => expect(socket.messages.length).toBeGreaterThan(0));
        const framesBefore = updateFrames(socket.messages);
        const storedBefore = await storedUpdatesBy("demo-editor");

        const result = await json<{ decided: string[]; skipped: { id: string; message: string }[] }>(await suggestionApi(server.url, editor).acceptAll("demo-commenter"), 200);
        expect(result.decided).toEqual(made.map((s) => s.id));
        expect(result.skipped).toEqual([{ id: outdated.id, message: expect.stringContaining("outdated") }]);

        await eventually(() => {
          const body = plainBody(a.doc);
          for (const [, replacement] of pairs) expect(body).toContain(replacement);
          expect(body).toContain("Key public statements");
        }, 10_000);
        await eventually(async () => expect(await storedUpdatesBy("demo-editor")).toBe(storedBefore + 1), 10_000);
        await eventually(() => expect(updateFrames(socket.messages)).toBe(framesBefore + 1));
        socket.ws.close();
      });
    });
  });
}
