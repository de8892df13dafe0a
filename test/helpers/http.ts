import { DEMO_PASSWORD, DEMO_USERS } from "../../server/seed/demo";

export type DemoRole = "owner" | "editor" | "commenter" | "viewer";
export const DEMO_ROLES: readonly DemoRole[] = ["owner", "editor", "commenter", "viewer"];

export function demoUser(role: DemoRole) {
  return DEMO_USERS.find((u) => u.role === role)!;
}

/** Signs in through the real /login form and returns the Cookie header value for later requests. */
export async function login(baseUrl: string, email: string, password: string = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, redirectTo: "/teams" }),
    redirect: "manual",
  });
  const setCookie = res.headers.get("set-cookie");
  if (res.status !== 302 || !setCookie) throw new Error(`login failed for ${email}: HTTP ${res.status}`);
  return setCookie.split(";")[0];
}

export function loginAs(baseUrl: string, role: DemoRole): Promise<string> {
  return login(baseUrl, demoUser(role).email);
}

/** Signs in each of the demo desk's four members: their Cookie header values by role. */
export async function loginAll(baseUrl: string): Promise<Record<DemoRole, string>> {
  const cookies = await Promise.all(DEMO_ROLES.map((role) => loginAs(baseUrl, role)));
  return Object.fromEntries(DEMO_ROLES.map((role, i) => [role, cookies[i]])) as Record<DemoRole, string>;
}

/** POSTs a form like a browser on our origin would (same-origin Origin header, session cookie). */
export function postForm(baseUrl: string, path: string, cookie: string | null, fields: Record<string, string>) {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { ...(cookie ? { Cookie: cookie } : {}), Origin: baseUrl },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

export function get(baseUrl: string, path: string, cookie?: string | null) {
  return fetch(`${baseUrl}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
}

/** The team of the demo seed, where the demo accounts hold their roles. */
export const DEMO_TEAM = "demo-kz-tr-desk";

/**
 * Creates a briefing in the demo team through the real form (a title and summit of its own, the
 * rest fixed; `fields` replaces any of them) and returns its id from the redirect.
 */
export async function createBriefingOverHttp(baseUrl: string, cookie: string, fields: Record<string, string>): Promise<string> {
  const res = await postForm(baseUrl, `/teams/${DEMO_TEAM}?index`, cookie, {
    intent: "create",
    summitName: "Test summit",
    city: "Astana",
    startDate: "2027-01-10",
    endDate: "2027-01-11",
    classification: "UNCLASSIFIED",
    ...fields,
  });
  if (res.status !== 302) throw new Error(`creating a briefing answered ${res.status}: ${await res.text()}`);
  return res.headers.get("location")!.split("/").pop()!;
}

/** Creates a RESTRICTED working-visit briefing in the demo team as `cookie` (an editor or owner); returns its id. */
export function createDemoBriefing(baseUrl: string, cookie: string, title = "Astana working visit"): Promise<string> {
  return createBriefingOverHttp(baseUrl, cookie, {
    title,
    summitName: "KZ–TR working visit",
    startDate: "2027-03-01",
    endDate: "2027-03-02",
    classification: "RESTRICTED",
  });
}
