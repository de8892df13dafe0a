import { redirect, type AppLoadContext } from "@remix-run/node";
import { createSession, deleteSession } from "../../db/queries/sessions";
import { readSessionToken } from "../../server/auth/session-cookie";

/**
 * Starts a session for the user and redirects to `to`, which must come from safeRedirectPath.
 * The redirect is built before the session, so a target no header can carry creates no session.
 */
export async function signInAndRedirect(context: AppLoadContext, userId: string, to: string): Promise<Response> {
  const headers = new Headers({ Location: to });
  const ttlMs = context.config.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000;
  const { token } = createSession(context.db, userId, ttlMs);
  headers.append("Set-Cookie", await context.sessionCookie.serialize(token));
  return redirect(to, { headers });
}

/** Deletes the server-side session (closing its sockets) and clears the cookie. */
export async function signOut(request: Request, context: AppLoadContext): Promise<Response> {
  const token = await readSessionToken(context.sessionCookie, request.headers.get("Cookie"));
  if (token) {
    const sessionId = deleteSession(context.db, token);
    await context.events.publish("sessionRevoked", { sessionId });
  }
  return redirect("/login", { headers: { "Set-Cookie": await context.sessionCookie.serialize("", { maxAge: 0 }) } });
}
