import * as encoding from "lib0/encoding";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SocketDecisions } from "../../app/suggestions/socket-decisions";
import type { SuggestionView } from "../../app/suggestions/types";
import { MESSAGE_SUGGESTION_DECISION } from "../../extensions/protocol/suggestion-decision";
import { json } from "../comments/comment-api";
import { get } from "../helpers/http";
import { body, connectClient, DEMO_BRIEFING, eventually, type YClient } from "../helpers/yclient";
import { plainBody } from "./suggestion-api";
import { socketSuite, type Role } from "./socket-suite";

/**
 * Accepting and rejecting suggestions over the open collaboration socket (docs/decisions/0507):
 * the HTTP action's rules per role, its status codes, bad messages closed with 4400, and typing
 * by others while an accept is applied, all with stock y-websocket clients.
 */

const { t, forEachDialect, suggest } = socketSuite();

const opened: { client: YClient; decisions: SocketDecisions }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.decisions.destroy();
    o.client.destroy();
  }
});

async function socketOf(role: Role) {
  const client = await connectClient(t.server.url, t.cookies[role]);
  const decisions = new SocketDecisions(client.provider);
  opened.push({ client, decisions });
  return { client, decisions };
}

async function statusOf(id: string): Promise<SuggestionView> {
  const res = await fetch(`${t.server.url}/briefings/${DEMO_BRIEFING}/suggestions/${id}`, { headers: { Cookie: t.cookies.viewer } });
  return (await json<{ suggestion: SuggestionView }>(res, 200)).suggestion;
}

/** The Y.XmlText run holding `needle`, with the offset of the needle in it. */
function runWith(doc: Y.Doc, needle: string): { text: Y.XmlText; at: number } {
  const walk = (node: Y.XmlElement | Y.XmlFragment): { text: Y.XmlText; at: number } | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        const plain = (child.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
        const at = plain.indexOf(needle);
        if (at >= 0) return { text: child, at };
      } else if (child instanceof Y.XmlElement) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  const found = walk(body(doc));
  if (!found) throw new Error(`no text run holds "${needle}"`);
  return found;
}

forEachDialect((name) => `suggestion decisions over the socket on ${name}`, () => {

  describe("suggestion decisions over the collaboration socket", () => {
    it("lets owners and editors accept, and the change reaches a reader's stock client; the author is notified", async () => {
      for (const [role, needle, replacement] of [
        ["editor", "Prepare the delegation", "Brief the delegation"],
        ["owner", "main focus", "principal focus"],
      ] as const) {
        const s = await suggest(needle, replacement);
        const { decisions } = await socketOf(role);
        const answer = await decisions.decide(s.id, "accepted");
        expect(answer).toMatchObject({ status: 200, message: "" });
        await eventually(() => expect(plainBody(t.reader.doc)).toContain(replacement));
        if (role === "editor") expect(plainBody(t.reader.doc)).not.toContain(needle);
        expect(await statusOf(s.id)).toMatchObject({ status: "accepted", acceptedByName: role === "editor" ? "Emre Yıldız" : "Aigerim Nurpeisova" });
      }
      const inbox = await get(t.server.url, "/notifications", t.cookies.commenter);
      expect(await inbox.text()).toContain("Emre Yıldız accepted your suggestion “Brief the delegation”");
    });

    it("refuses commenters and viewers with 403, as the HTTP action does, changes nothing and keeps their socket open", async () => {
      const s = await suggest("regional security", "regional stability");
      for (const role of ["commenter", "viewer"] as const) {
        const { client, decisions } = await socketOf(role);
        for (const decision of ["accepted", "rejected"] as const) {
          const answer = await decisions.decide(s.id, decision);
          expect(answer.status).toBe(403);
          expect(answer.message).toContain("needs the editor role; you are " + role);
        }
        expect(client.closes).toEqual([]);
        expect(client.provider.wsconnected).toBe(true);
      }
      expect(plainBody(t.reader.doc)).toContain("regional security");
      expect((await statusOf(s.id)).status).toBe("open");
    });

    it("rejects over the socket; answers 404 for an unknown suggestion and 409 once decided or outdated", async () => {
      const { client, decisions } = await socketOf("editor");
      const s = await suggest("Turkic Council", "Organization of Turkic States");
      expect((await decisions.decide(s.id, "rejected")).status).toBe(200);
      expect(await statusOf(s.id)).toMatchObject({ status: "rejected", rejectedByName: "Emre Yıldız" });
      const again = await decisions.decide(s.id, "accepted");
      expect(again.status).toBe(409);
      expect(again.message).toContain("already rejected");
      expect((await decisions.decide("no-such-suggestion", "accepted")).status).toBe(404);

      const outdated = await suggest("Country facts", "Facts by country");
      // The editor changes the suggested words themselves before accepting.
      const run = runWith(client.doc, "Country facts");
      run.text.insert(run.at + "Country".length, "-level");
      const answer = await eventually(async () => {
        const a = await decisions.decide(outdated.id, "accepted");
        expect(a.status).toBe(409);
        return a;
      });
      expect(answer.message).toContain("outdated");
      expect(plainBody(t.reader.doc)).not.toContain("Facts by country");
    });

    it("closes with 4400 on a malformed decision: truncated, an unknown decision, trailing bytes", async () => {
      const bad: [string, Uint8Array][] = [];
      const build = (fn: (e: encoding.Encoder) => void) => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SUGGESTION_DECISION);
        fn(e);
        return encoding.toUint8Array(e);
      };
      bad.push(["truncated", build((e) => encoding.writeVarUint(e, 1))]);
      bad.push(["unknown decision", build((e) => (encoding.writeVarUint(e, 1), encoding.writeVarString(e, "x"), encoding.writeVarUint(e, 7)))]);
      bad.push(["trailing bytes", build((e) => (encoding.writeVarUint(e, 1), encoding.writeVarString(e, "x"), encoding.writeVarUint(e, 0), encoding.writeUint8(e, 9)))]);
      for (const [what, bytes] of bad) {
        const { client } = await socketOf("editor");
        client.provider.ws!.send(bytes);
        await eventually(() => expect(client.closes.map((c) => c.code), what).toContain(4400), 10_000);
        expect(client.closes[0].reason).toMatch(/^malformed message/);
      }
    });

    it("merges an accept with typing by others in the same paragraph, on every client", async () => {
      const typist = await connectClient(t.server.url, t.cookies.owner);
      const { client: accepter, decisions } = await socketOf("editor");
      const s = await suggest("Hungary as an observer", "Hungary as an observer state");
      // The owner types at the start of the paragraph while the editor's accept is on its way.
      const paragraph = runWith(typist.doc, "Hungary as an observer").text;
      const typed: string[] = [];
      const accepting = decisions.decide(s.id, "accepted");
      for (let i = 0; i < 20; i++) {
        const word = `w${i} `;
        paragraph.insert(0, word);
        typed.push(word);
        await new Promise((r) => setImmediate(r));
      }
      expect((await accepting).status).toBe(200);
      for (const c of [t.reader, typist, accepter]) {
        await eventually(() => {
          const text = plainBody(c.doc);
          expect(text).toContain("Hungary as an observer state");
          for (const w of typed) expect(text).toContain(w);
        }, 10_000);
      }
      expect(plainBody(typist.doc)).toBe(plainBody(t.reader.doc));
      expect(plainBody(accepter.doc)).toBe(plainBody(t.reader.doc));
      typist.destroy();
    });
  });
}, 120_000);
