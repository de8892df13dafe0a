import type { AppLoadContext } from "@remix-run/node";
import { isSessionActive } from "../../db/queries/sessions";
import { getUserById } from "../../db/queries/users";
import type { CommentsAccess } from "./comments.server";
import { requireBriefingRole } from "./permissions.server";
import { decide, requireDecider, requireSuggestion } from "./suggestions.server";

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

/**
 * A decision sent over the briefing's collaboration socket (docs/decisions/0507): the checks of
 * the HTTP action, in its order and with its status codes (session, membership, the suggestion,
 * the editor role, final, already decided, outdated), then the same `decide`. The accepted text
 * is broadcast inside it; the answer waits for the bookkeeping, as the HTTP response does.
 */
export async function decideOverSocket(
  context: AppLoadContext,
  input: { briefingId: string; userId: string; sessionId: string; suggestionId: string; decision: "accepted" | "rejected" },
): Promise<{ status: number; message: string }> {
  try {
    const user = (await isSessionActive(context.store, input.sessionId)) ? await getUserById(context.store, input.userId) : undefined;
    if (!user) return { status: 401, message: "Sign in to continue." };
    const { briefing, role } = await requireBriefingRole(context, input.briefingId, user);
    const access: CommentsAccess = { briefing, role, user };
    const s = await requireSuggestion(context, access, input.suggestionId);
    const refused = requireDecider(access, input.decision === "accepted" ? "Accepting" : "Rejecting");
    if (refused) return { status: refused.status, message: await refusalMessage(refused) };
    const result = await decide(context, access, s, input.decision);
    return result.ok ? { status: 200, message: "" } : { status: result.status, message: result.message };
  } catch (err) {
    if (err instanceof Response) return { status: err.status, message: await refusalMessage(err) };
    throw err;
  }
}
