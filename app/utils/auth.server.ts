import { redirect, type AppLoadContext } from "@remix-run/node";
import { getSessionUser, type SessionUser } from "../../db/queries/sessions";
import { readSessionToken } from "../../server/auth/session-cookie";

export type CurrentUser = SessionUser["user"];

/** The signed-in user and their session id, or null. */
export async function getCurrentSession(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  const token = await readSessionToken(context.sessionCookie, request.headers.get("Cookie"));
  return token ? getSessionUser(context.store, token) : null;
}

export async function getOptionalUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  return (await getCurrentSession(request, context))?.user ?? null;
}

/** Longer return targets are not ours: requireUser builds them from a URL path and query. */
export const REDIRECT_MAX_LENGTH = 2048;

// Browsers drop TAB/CR/LF inside URLs and read "\" as "/", so "/<TAB>/evil.test" and "/\evil.test"
// reach another host; a CR/LF in a Location header also makes the response itself fail.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

// Relative targets are resolved against this stand-in for our own origin: anything that resolves
// elsewhere was not a path on this site. The result is a path, so which host stands in is irrelevant.
const OWN_ORIGIN = "http://summit-desk.invalid";

/**
 * A same-origin path to return to after sign-in, or `fallback`. The target is parsed the way a
 * browser would parse a Location header and only its pathname, search and hash are kept.
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > REDIRECT_MAX_LENGTH || UNSAFE_CHARACTERS.test(to)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(to, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.test" normalises to "//evil.test", which a browser reads as another host.
  if (path.startsWith("//") || path.length > REDIRECT_MAX_LENGTH) return fallback;
  return path;
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
