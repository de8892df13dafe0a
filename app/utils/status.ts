import type { BriefingStatus, Role } from "../../db/enums";

export interface StatusTransition {
  from: BriefingStatus;
  to: BriefingStatus;
  /** Button text, also used in permission messages. */
  label: string;
  minRole: Role;
}

/**
 * The status workflow, shared by the buttons and the server check: editors and owners move a brief
 * forward (and back from review); only owners reopen a final brief.
 */
export const STATUS_TRANSITIONS: readonly StatusTransition[] = [
  { from: "draft", to: "in_review", label: "Send for review", minRole: "editor" },
  { from: "in_review", to: "draft", label: "Return to draft", minRole: "editor" },
  { from: "in_review", to: "final", label: "Finalize", minRole: "editor" },
  { from: "final", to: "draft", label: "Reopen", minRole: "owner" },
];
