import type { Briefing } from "../../db/schema/briefings";
import type { Role } from "../../db/enums";

const RANK: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** Isomorphic role checks: the server enforces them, the UI uses them only to hide what would be refused. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** Can change the briefing body: editors and owners, and nobody once it is final. */
export function canEditBody(role: Role, briefing: Pick<Briefing, "status">): boolean {
  return roleAtLeast(role, "editor") && briefing.status !== "final";
}
