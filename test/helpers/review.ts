import { postForm } from "./http";

/**
 * The demo commenter: a member who may approve in every test team built on the demo desk and who
 * never sends a review herself (nobody may approve their own request).
 */
export const DEMO_APPROVER = "demo-commenter";

/** The fields of a "Send for review" naming one approver (the demo commenter unless told). */
export function toReview(approver = DEMO_APPROVER): Record<string, string> {
  return { to: "in_review", approvers: approver };
}

/**
 * Finalizes as `cookie`. When the server answers 409 (approvals missing), the approver (signed in
 * as `approverCookie`, the demo commenter for a `toReview()` review) approves
 * every section it listed and the finalize is sent again; any other answer is returned as it is.
 */
export async function finalizeCleared(baseUrl: string, briefingId: string, cookie: string, approverCookie: string): Promise<Response> {
  const path = `/briefings/${briefingId}/status`;
  const first = await postForm(baseUrl, path, cookie, { to: "final" });
  if (first.status !== 409) return first;
  const { missing } = (await first.json()) as { missing: { section: string }[] };
  for (const section of new Set(missing.map((m) => m.section))) {
    const res = await postForm(baseUrl, `/briefings/${briefingId}/review`, approverCookie, { section, decision: "approved" });
    if (res.status !== 200) throw new Error(`approving ${section} answered ${res.status}: ${await res.text()}`);
  }
  return postForm(baseUrl, path, cookie, { to: "final" });
}
