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
      <span className="read-only-icon" aria-hidden>
        🔒
      </span>
      {reason === "final" && finalizedBy ? `Finalized by ${finalizedBy}: editing is frozen.` : MESSAGES[reason]}
    </p>
  );
}
