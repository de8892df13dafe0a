/** Enumerations shared by the schema, the server and the browser (no imports, safe in any bundle). */
export const ROLES = ["owner", "editor", "commenter", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const ROLE_RANK: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** Role checks: the server enforces them, the UI uses them only to hide what would be refused. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

/**
 * The read-only rule, the same for HTTP actions, the collaboration socket and the editor: editors
 * and owners change the body, and nobody once the briefing is final.
 */
export function canEditBody(role: Role, briefing: { status: string }): boolean {
  return roleAtLeast(role, "editor") && briefing.status !== "final";
}

export const BRIEFING_STATUSES = ["draft", "in_review", "final"] as const;
export type BriefingStatus = (typeof BRIEFING_STATUSES)[number];

export const STATUS_LABELS: Record<BriefingStatus, string> = { draft: "Draft", in_review: "In review", final: "Final" };

export const CLASSIFICATIONS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** A team setting: who may export its briefings. */
export const EXPORT_POLICIES = ["everyone", "editors", "owners"] as const;
export type ExportPolicy = (typeof EXPORT_POLICIES)[number];
