import { createCookie, type Cookie } from "@remix-run/node";
import type { Config } from "../config";

export const SESSION_COOKIE_NAME = "sd_session";

/**
 * The session cookie: a signed, httpOnly, SameSite=Lax cookie holding the session token. Shared by
 * the Remix app (app/utils/auth.server.ts) and the WebSocket upgrade, so both read it the same way.
 */
export function createSessionCookie(config: Pick<Config, "SESSION_SECRET" | "COOKIE_SECURE" | "SESSION_TTL_DAYS">): Cookie {
  return createCookie(SESSION_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    secure: config.COOKIE_SECURE,
    path: "/",
    secrets: [config.SESSION_SECRET],
    maxAge: config.SESSION_TTL_DAYS * 24 * 60 * 60,
  });
}

/** The session token from a Cookie header, or null when absent or its signature is wrong. */
export async function readSessionToken(cookie: Cookie, cookieHeader: string | null | undefined): Promise<string | null> {
  if (!cookieHeader) return null;
  try {
    const value = await cookie.parse(cookieHeader);
    return typeof value === "string" && value.length > 0 && value.length < 200 ? value : null;
  } catch {
    return null;
  }
}
