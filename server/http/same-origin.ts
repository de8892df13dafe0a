import type { RequestHandler } from "express";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether an Origin header names this server (by its Host) or an explicitly allowed origin. */
export function isAllowedOrigin(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function parseAllowedOrigins(list: string): string[] {
  return list
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * CSRF guard for every mutation: a browser's cross-site POST carries a foreign Origin and gets a
 * clear 403 here (SameSite=Lax keeps the session cookie off most of them already). Requests
 * without Origin come from scripts, which must hold a session cookie anyway.
 */
export function sameOriginMutations(allowedOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!MUTATING.has(req.method) || !origin) return next();
    if (origin !== "null" && isAllowedOrigin(origin, req.headers.host, allowedOrigins)) return next();
    res.status(403).type("text/plain").send("Cross-origin request refused.");
  };
}
