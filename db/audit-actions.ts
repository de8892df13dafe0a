/** The audit trail's actions (no imports, safe in any bundle: the audit page's filter lists them). */

/**
 * Every action the trail records. A fixed list, so a typo in a caller is a type error and the
 * filter on the audit page can offer exactly these.
 */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "membership.role_change",
  "membership.remove",
  "invitation.create",
  "invitation.use",
  "invitation.revoke",
  "team.settings_change",
  "briefing.create",
  "briefing.status_change",
  "briefing.archive",
  "briefing.unarchive",
  "briefing.delete",
  "briefing.export",
  "briefing.reclassified",
  "auth.sign_in_rate_limited",
  "briefing.restored",
  "review.decision",
  "briefing.finalize_override",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
