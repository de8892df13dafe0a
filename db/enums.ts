/** Enumerations shared by the schema, the server and the browser (no imports, safe in any bundle). */
export const ROLES = ["owner", "editor", "commenter", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const BRIEFING_STATUSES = ["draft", "in_review", "final"] as const;
export type BriefingStatus = (typeof BRIEFING_STATUSES)[number];

export const STATUS_LABELS: Record<BriefingStatus, string> = { draft: "Draft", in_review: "In review", final: "Final" };

export const CLASSIFICATIONS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
