import { eq } from "drizzle-orm";
import * as decoding from "lib0/decoding";
import { afterEach, expect, it } from "vitest";
import { exec, first } from "../../db/store";
import { SocketDecisions } from "../../app/suggestions/socket-decisions";
import { encodeDecisionRequest, MESSAGE_SUGGESTION_DECISION } from "../../extensions/protocol/suggestion-decision";
import { loginAs, postForm } from "../helpers/http";
import { finalizeCleared, toReview } from "../helpers/review";
import { withServerStore } from "../helpers/stores";
import { connectClient, DEMO_BRIEFING, eventually, rawSocket } from "../helpers/yclient";
import { plainBody } from "./suggestion-api";
import { socketSuite, type Role } from "./socket-suite";

/**
 * A decision sent over the collaboration socket is taken for the identity the socket was admitted
 * with, with the role and briefing status the registry keeps current on open sockets, not read
 * again per message (docs/decisions/0507). So every access change must reach the open socket
 * itself: a signed-out session's socket is closed before it can decide, a lowered role is refused
 * at once on the same socket and a raised one allowed at once, and a briefing reopened after a
 * finalize accepts again on a socket opened while it was final. Checked against the suggestion
 * rows in the server's database (SQLite and PostgreSQL) and the live document of a stock t.reader.
 */

const { t, forEachDialect, suggest } = socketSuite();

const TEAM = "demo-kz-tr-desk";

const opened: SocketDecisions[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.destroy();
});

async function decisionsOf(cookie: string) {
  const client = await connectClient(t.server.url, cookie);
  const decisions = new SocketDecisions(client.provider);
  opened.push(decisions);
  return { client, decisions };
}

/** The suggestion's status as the server stored it, read from its own database. */
function statusInDb(id: string): Promise<string | undefined> {
  return withServerStore(t.server, async (store) => first(await exec(store, (db, { suggestions: s }) => db.select({ status: s.status }).from(s).where(eq(s.id, id)).limit(1)))?.status);
}

const setRole = (userId: string, role: Role) => postForm(t.server.url, `/teams/${TEAM}/members`, t.cookies.owner, { intent: "role", userId, role });

forEachDialect((name) => `socket decisions follow access changes on the open socket on ${name}`, () => {
  it("closes a signed-out session's socket with 4401 before it can decide; another session of the same person still decides", async () => {
    const s = await suggest("regional security", "regional stability");
    const session = await loginAs(t.server.url, "editor");
    const raw = rawSocket(t.server.url, session);
    await raw.opened;
    expect((await postForm(t.server.url, "/logout", session, {})).status).toBe(302);
    // The sign-out closed the socket before it answered.
    expect(await raw.closed).toEqual({ code: 4401, reason: "session ended: sign in again" });
    // Sent on the closed socket: never read, never answered, nothing decided.
    raw.ws.send(encodeDecisionRequest({ requestId: 1, suggestionId: s.id, decision: "accepted" }), () => {});
    const answers = raw.messages.filter((m) => decoding.readVarUint(decoding.createDecoder(new Uint8Array(m))) === MESSAGE_SUGGESTION_DECISION);
    expect(answers).toEqual([]);
    expect(await statusInDb(s.id)).toBe("open");

    const other = await decisionsOf(t.cookies.editor);
    expect(await other.decisions.decide(s.id, "accepted")).toEqual({ requestId: 1, status: 200, message: "" });
    await eventually(() => expect(plainBody(t.reader.doc)).toContain("regional stability"), 15_000);
    expect(await statusInDb(s.id)).toBe("accepted");
  }, 60_000);

  it("refuses a decision with 403 on the same open socket once the role is lowered to commenter, and takes it once raised again", async () => {
    const s = await suggest("Prepare the delegation", "Brief the delegation");
    const { client, decisions } = await decisionsOf(t.cookies.editor);
    try {
      expect((await setRole("demo-editor", "commenter")).status).toBe(200);
      const refused = await decisions.decide(s.id, "accepted");
      expect({ status: refused.status, message: refused.message }).toEqual({ status: 403, message: "Accepting suggestions needs the editor role; you are commenter." });
      const rejected = await decisions.decide(s.id, "rejected");
      expect({ status: rejected.status, message: rejected.message }).toEqual({ status: 403, message: "Rejecting suggestions needs the editor role; you are commenter." });
      expect(await statusInDb(s.id)).toBe("open");
      expect(plainBody(t.reader.doc)).toContain("Prepare the delegation");
      // Refused, not closed: the socket stays, read-only, as for any commenter.
      expect(client.closes).toEqual([]);
    } finally {
      expect((await setRole("demo-editor", "editor")).status).toBe(200);
    }
    expect((await decisions.decide(s.id, "accepted")).status).toBe(200);
    await eventually(() => expect(plainBody(t.reader.doc)).toContain("Brief the delegation"), 15_000);
    expect(await statusInDb(s.id)).toBe("accepted");
    expect(client.closes).toEqual([]);
  }, 60_000);

  it("accepts again on a socket opened while the briefing was final, once it is reopened to draft", async () => {
    const s = await suggest("Turkic Council", "Organization of Turkic States");
    expect((await postForm(t.server.url, `/briefings/${DEMO_BRIEFING}/status`, t.cookies.owner, toReview())).status).toBe(200);
    expect((await finalizeCleared(t.server.url, DEMO_BRIEFING, t.cookies.owner, t.cookies.commenter)).status).toBe(200);
    const { decisions } = await decisionsOf(t.cookies.editor);
    const refused = await decisions.decide(s.id, "accepted");
    expect({ status: refused.status, message: refused.message }).toEqual({ status: 409, message: "The briefing is final; reopen it before its text can change." });
    expect(await statusInDb(s.id)).toBe("open");

    expect((await postForm(t.server.url, `/briefings/${DEMO_BRIEFING}/status`, t.cookies.owner, { to: "draft" })).status).toBe(200);
    expect((await decisions.decide(s.id, "accepted")).status).toBe(200);
    await eventually(() => expect(plainBody(t.reader.doc)).toContain("Organization of Turkic States"), 15_000);
    expect(await statusInDb(s.id)).toBe("accepted");
  }, 90_000);
});
