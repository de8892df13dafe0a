export type ReadOnlyReason = "viewer" | "commenter" | "final" | "downgraded";

const MESSAGES: Record<ReadOnlyReason, string> = {
  viewer: "You are a viewer on this team: you can read this briefing but not edit it.",
  commenter: "You are a commenter: you can read and comment on this briefing, but not edit the text.",
  final: "This briefing is final and frozen. Reopen it as a draft to make changes.",
  downgraded: "Your access changed while you were here: this briefing is read-only for you now.",
};

/** Says why the text cannot be edited, so a disabled editor never looks broken. */
export function ReadOnlyBanner({ reason, finalizedBy }: { reason: ReadOnlyReason; finalizedBy?: string | null }) {
  return (
    <p className={`read-only-banner reason-${reason}`} role="note" data-testid="read-only-banner">
      {/* Drawn, not an emoji: a machine without an emoji font showed an empty box. */}
      <svg className="read-only-icon" aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" focusable="false">
        <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
        <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
      </svg>
      {reason === "final" && finalizedBy ? `Finalized by ${finalizedBy}: editing is frozen.` : MESSAGES[reason]}
    </p>
  );
}
