import type { RequestHandler } from "express";
import type { Config } from "../config";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Which origins count as ours. With PUBLIC_URL the answer never depends on the request: Host is
 * chosen by the client (a forged Host matching a forged Origin would otherwise pass). Without it
 * the request's Host stands in for our origin, which is right when the app is served directly.
 */
export interface OriginPolicy {
  /** PUBLIC_URL's origin, or null to compare against the request's Host. */
  publicOrigin: string | null;
  /** ALLOWED_ORIGINS, accepted in addition. */
  allowed: readonly string[];
}

export function originPolicy(config: Pick<Config, "publicOrigin" | "ALLOWED_ORIGINS">): OriginPolicy {
  return { publicOrigin: config.publicOrigin, allowed: parseAllowedOrigins(config.ALLOWED_ORIGINS) };
}

/** Whether an Origin header names this server or an explicitly allowed origin. */
export function isAllowedOrigin(origin: string, host: string | undefined, policy: OriginPolicy): boolean {
  if (origin === "null") return false;
  if (policy.allowed.includes(origin)) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (policy.publicOrigin !== null) return parsed.origin === policy.publicOrigin;
  return host !== undefined && parsed.host === host;
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
export function sameOriginMutations(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!MUTATING.has(req.method) || !origin) return next();
    if (isAllowedOrigin(origin, req.headers.host, policy)) return next();
    res.status(403).type("text/plain").send("Cross-origin request refused.");
  };
}
