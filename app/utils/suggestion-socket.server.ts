import type { AppLoadContext } from "@remix-run/node";
import { getBriefing } from "../../db/queries/briefings";
import type { SocketDecision } from "../../server/collab/decision-relay";
import { announce, applyDecision, requireDecider, requireSuggestion } from "./suggestions.server";

/** The message a refusal carries: the first field error of a JSON answer, else its text. */
async function refusalMessage(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { errors?: Record<string, string[] | undefined> };
    return Object.values(body.errors ?? {}).find((v) => v && v.length)?.[0] ?? text;
  } catch {
    return text;
  }
}

const SIGNED_OUT = { status: 401, message: "Sign in to continue." };

/**
 * A decision sent over the briefing's collaboration socket (docs/decisions/0507): the checks of
 * the HTTP action, in its order and with its status codes (session, membership, the suggestion,
 * the editor role, final, already decided, outdated), then the same decision. The session and the
 * membership are the socket's own, not read again: the registry closes a socket whose session is
 * signed out (4401) or whose member left (4403) and lowers its role at once (membershipChanged),
 * and keeps the room's `final` from briefingChanged, the same state every live edit on it is checked
 * against. The accepted text is broadcast inside the change; the answer waits for the bookkeeping
 * after it, as the HTTP response does.
 */
export async function decideOverSocket(context: AppLoadContext, input: SocketDecision): Promise<{ status: number; message: string }> {
  try {
    // Sessions do not slide: one past its end is refused like a signed-out one, with no read.
    if (input.access().closed || input.sessionExpiresAt <= Date.now()) return SIGNED_OUT;
    const s = await requireSuggestion(context, { briefing: { id: input.briefingId } }, input.suggestionId);
    // Read after the suggestion's read, which may wait for the database: a change of access meanwhile counts.
    const now = input.access();
    if (now.closed) return SIGNED_OUT;
    const refused = requireDecider(now.role, now.final, input.decision === "accepted" ? "Accepting" : "Rejecting");
    if (refused) return { status: refused.status, message: await refusalMessage(refused) };
    const result = await applyDecision(context, { briefingId: input.briefingId, userId: input.userId }, s, input.decision);
    if (!result.ok) return { status: result.status, message: result.message };
    // After the broadcast: the title the author's notification names.
    const briefing = await getBriefing(context.store, input.briefingId);
    if (briefing) await announce(context, { briefing, user: { id: input.userId, name: input.userName } }, s, input.decision);
    return { status: 200, message: "" };
  } catch (err) {
    if (err instanceof Response) return { status: err.status, message: await refusalMessage(err) };
    throw err;
  }
}
