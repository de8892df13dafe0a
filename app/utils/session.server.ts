import { redirect, type AppLoadContext } from "@remix-run/node";
import { createSession, deleteSession, getSessionUser } from "../../db/queries/sessions";
import { withTransaction } from "../../db/store";
import { readSessionToken } from "../../server/auth/session-cookie";
import { recordAudit, type AuditActor } from "./audit.server";

/** How a person got in: the password form, one-click demo sign-in, or a new account. */
export type SignInMethod = "password" | "demo" | "signup";

/**
 * Starts a session for the user and redirects to `to`, which must come from safeRedirectPath.
 * The redirect is built before the session, so a target no header can carry creates no session.
 */
export async function signInAndRedirect(context: AppLoadContext, user: AuditActor & { id: string }, to: string, method: SignInMethod): Promise<Response> {
  const headers = new Headers({ Location: to });
  const ttlMs = context.config.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000;
  // The session and its record together: no session exists that the trail does not show.
  const { token } = await withTransaction(context.store, async (tx) => {
    const created = await createSession(tx, user.id, ttlMs);
    await recordAudit(context, user, { action: "auth.sign_in", details: { method } }, tx);
    return created;
  });
  headers.append("Set-Cookie", await context.sessionCookie.serialize(token));
  return redirect(to, { headers });
}

/** Deletes the server-side session (closing its sockets) and clears the cookie. */
export async function signOut(request: Request, context: AppLoadContext): Promise<Response> {
  const token = await readSessionToken(context.sessionCookie, request.headers.get("Cookie"));
  if (token) {
    const sessionId = await withTransaction(context.store, async (tx) => {
      // Only a live session is recorded: a stale cookie signs nobody out.
      const session = await getSessionUser(tx, token);
      if (session) await recordAudit(context, session.user, { action: "auth.sign_out" }, tx);
      return deleteSession(tx, token);
    });
    await context.events.publish("sessionRevoked", { sessionId });
  }
  return redirect("/login", { headers: { "Set-Cookie": await context.sessionCookie.serialize("", { maxAge: 0 }) } });
}
