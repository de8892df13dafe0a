import { redirect, type AppLoadContext } from "@remix-run/node";
import { getSessionUser, type SessionUser } from "../../db/queries/sessions";
import { readSessionToken } from "../../server/auth/session-cookie";

export type CurrentUser = SessionUser["user"];

/** The signed-in user and their session id, or null. */
export async function getCurrentSession(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  const token = await readSessionToken(context.sessionCookie, request.headers.get("Cookie"));
  return token ? getSessionUser(context.db, token) : null;
}

export async function getOptionalUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  return (await getCurrentSession(request, context))?.user ?? null;
}

/** A safe same-site path to return to after sign-in; anything else becomes "/". */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** The signed-in user, or a thrown redirect to /login that comes back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  const user = await getOptionalUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}
