import { roleAtLeast, type ExportPolicy, type Role } from "../../db/enums";

export { EXPORT_POLICIES, type ExportPolicy } from "../../db/enums";

/** The lowest role a team's export policy lets export (PDF, Word, Markdown). */
const MIN_ROLE: Record<ExportPolicy, Role> = { everyone: "viewer", editors: "editor", owners: "owner" };

export const EXPORT_POLICY_LABELS: Record<ExportPolicy, string> = {
  everyone: "Every member",
  editors: "Editors and owners",
  owners: "Owners only",
};

/** The one rule, for the server's check and for hiding export links the server would refuse. */
export function mayExport(role: Role, policy: ExportPolicy): boolean {
  return roleAtLeast(role, MIN_ROLE[policy]);
}

/** Why an export was refused, naming who may export. */
export function exportRefusal(policy: ExportPolicy, role: Role, teamName: string): string {
  const who = policy === "owners" ? "owners" : "editors and owners";
  return `In ${teamName} only ${who} may export briefings (the team's export policy); you are ${role}.`;
}
