import type { Role } from "../../db/enums";

/** The line on the sign-in and sign-up pages that says which invitation the person is answering. */
export function InvitationNotice({ invitation }: { invitation: { teamName: string; role: Role; inviterName: string } | null }) {
  if (!invitation) return null;
  return (
    <p className="invitation-notice" role="note">
      <strong>{invitation.inviterName}</strong> invited you to join <strong>{invitation.teamName}</strong> as{" "}
      <span className={`role-badge role-${invitation.role}`}>{invitation.role}</span>. Continue to accept.
    </p>
  );
}
