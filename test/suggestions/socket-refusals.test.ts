import { eq } from "drizzle-orm";
import * as decoding from "lib0/decoding";
import { expect, it } from "vitest";
import { exec, first } from "../../db/store";
import { SocketDecisions } from "../../app/suggestions/socket-decisions";
import {
  encodeDecisionRequest,
  MESSAGE_SUGGESTION_DECISION,
  readDecisionAnswer,
  type DecisionAnswer,
  type SuggestionDecision,
} from "../../extensions/protocol/suggestion-decision";
import { postForm } from "../helpers/http";
import { finalizeCleared, toReview } from "../helpers/review";
import { withServerStore } from "../helpers/stores";
import { connectClient, DEMO_BRIEFING, eventually, rawSocket, type RawSocket } from "../helpers/yclient";
import { plainBody, suggestionApi } from "./suggestion-api";
import { socketSuite, type Role } from "./socket-suite";

/**
 * Decisions over the collaboration socket that the server must refuse (docs/decisions/0507): from
 * a commenter or viewer, sent as bare type 100 frames by hand (no editor code in between), and on
 * a final briefing, where the answer is the HTTP action's own. Each refusal is checked against
 * the suggestion rows in the server's database (SQLite and PostgreSQL) and against the live document.
 */

const { t, forEachDialect, suggest } = socketSuite();

/** The suggestion's row as the server stored it, read from its own database. */
function row(id: string): Promise<Record<string, unknown> | undefined> {
  return withServerStore(t.server, async (store) =>
    first(
      await exec(store, (db, { suggestions: s }) =>
        db
          .select({ status: s.status, acceptedBy: s.acceptedBy, acceptedAt: s.acceptedAt, rejectedBy: s.rejectedBy, rejectedAt: s.rejectedAt, originalText: s.originalText, replacement: s.replacement })
          .from(s)
          .where(eq(s.id, id))
          .limit(1),
      ),
    ),
  );
}

/** The answers (type 100) the server sent on a raw socket, decoded. */
function answersOn(raw: RawSocket): DecisionAnswer[] {
  const out: DecisionAnswer[] = [];
  for (const message of raw.messages) {
    const decoder = decoding.createDecoder(new Uint8Array(message));
    if (decoding.readVarUint(decoder) === MESSAGE_SUGGESTION_DECISION) out.push(readDecisionAnswer(decoder));
  }
  return out;
}

/** Sends one hand-encoded decision on a raw socket and waits for the answer with its request id. */
async function rawDecide(raw: RawSocket, requestId: number, suggestionId: string, decision: SuggestionDecision): Promise<DecisionAnswer> {
  raw.ws.send(encodeDecisionRequest({ requestId, suggestionId, decision }));
  return eventually(() => {
    const answer = answersOn(raw).find((a) => a.requestId === requestId);
    expect(answer, `answer to request ${requestId}`).toBeDefined();
    return answer!;
  }, 15_000);
}

/** The refusal the HTTP action gives for the same decision: its status and first error. */
async function httpRefusal(role: Role, id: string, decision: SuggestionDecision): Promise<{ status: number; message: string }> {
  const api = suggestionApi(t.server.url, t.cookies[role]);
  const res = await (decision === "accepted" ? api.accept(id) : api.reject(id));
  const body = (await res.json()) as { errors?: { form?: string[] } };
  return { status: res.status, message: body.errors?.form?.[0] ?? "" };
}

forEachDialect((name) => `suggestion decisions the server refuses over the socket on ${name}`, () => {
  it("refuses hand-sent decisions from a commenter and a viewer with 403, writes nothing and keeps the socket open", async () => {
    const s = await suggest("regional security", "regional stability");
    const before = await row(s.id);
    expect(before?.status).toBe("open");
    for (const role of ["commenter", "viewer"] as const) {
      const raw = rawSocket(t.server.url, t.cookies[role]);
      await raw.opened;
      let requestId = 40;
      for (const decision of ["accepted", "rejected"] as const) {
        const answer = await rawDecide(raw, ++requestId, s.id, decision);
        expect(answer.status, `${role} ${decision}`).toBe(403);
        expect(answer.message).toBe(`${decision === "accepted" ? "Accepting" : "Rejecting"} suggestions needs the editor role; you are ${role}.`);
      }
      // Answered, not closed: the socket still carries the protocol (a sync step 1 gets its reply).
      const count = raw.messages.length;
      raw.ws.send(new Uint8Array([0, 0, 1, 0]));
      await eventually(() => expect(raw.messages.length).toBeGreaterThan(count), 15_000);
      expect(raw.ws.readyState).toBe(raw.ws.OPEN);
      raw.ws.close();
    }
    expect(await row(s.id)).toEqual(before);
    expect(plainBody(t.reader.doc)).toContain("regional security");
    expect(plainBody(t.reader.doc)).not.toContain("regional stability");
  }, 60_000);

  it("refuses accept and reject on a final briefing with the HTTP action's answer, and changes neither the text nor the rows", async () => {
    const toAccept = await suggest("Prepare the delegation", "Brief the delegation");
    const toReject = await suggest("Turkic Council", "Organization of Turkic States");
    expect((await postForm(t.server.url, `/briefings/${DEMO_BRIEFING}/status`, t.cookies.owner, toReview())).status).toBe(200);
    expect((await finalizeCleared(t.server.url, DEMO_BRIEFING, t.cookies.owner, t.cookies.commenter)).status).toBe(200);
    const rows = { [toAccept.id]: await row(toAccept.id), [toReject.id]: await row(toReject.id) };
    expect(Object.values(rows).map((r) => r?.status)).toEqual(["open", "open"]);
    const text = plainBody(t.reader.doc);

    for (const role of ["editor", "owner"] as const) {
      // A socket opened on the final briefing, as the editor page of an editor or owner has it.
      const client = await connectClient(t.server.url, t.cookies[role]);
      const decisions = new SocketDecisions(client.provider);
      for (const [s, decision] of [
        [toAccept, "accepted"],
        [toReject, "rejected"],
      ] as const) {
        const answer = await decisions.decide(s.id, decision);
        expect(answer.status, `${role} ${decision}`).toBe(409);
        expect(answer.message).toBe("The briefing is final; reopen it before its text can change.");
        expect({ status: answer.status, message: answer.message }).toEqual(await httpRefusal(role, s.id, decision));
      }
      expect(client.closes).toEqual([]);
      decisions.destroy();
      client.destroy();
    }

    expect(await row(toAccept.id)).toEqual(rows[toAccept.id]);
    expect(await row(toReject.id)).toEqual(rows[toReject.id]);
    // The server's live document is unchanged: a client joining now gets the text as it was frozen.
    const late = await connectClient(t.server.url, t.cookies.viewer);
    expect(plainBody(late.doc)).toBe(text);
    expect(plainBody(late.doc)).toContain("Prepare the delegation");
    expect(plainBody(t.reader.doc)).toBe(text);
  }, 90_000);
});
