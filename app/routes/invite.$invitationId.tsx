import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { withTransaction } from "../utils/db.server";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { recordAudit } from "../utils/audit.server";
import { getOptionalUser, requireUser } from "../utils/auth.server";
import { acceptInvitation, getMembership, hasUsedInvitation } from "../utils/db.server";
import { invitationSummary, type InvitationSummary } from "../utils/invitations.server";

export const meta: MetaFunction = () => [{ title: "Invitation · Summit Desk" }];

type Closed = Exclude<InvitationSummary["state"], "usable">;

const CLOSED_MESSAGES: Record<Closed, { title: string; message: string }> = {
  used: { title: "This invitation has been used up", message: "Everyone it was meant for has joined through it. Ask the team's owner for a new link." },
  expired: { title: "This invitation has expired", message: "Invitation links only work for the time the owner chose. Ask the team's owner for a new link." },
  revoked: { title: "This invitation was revoked", message: "The team's owner withdrew this link. Ask them for a new one if you should still join." },
};

/** 410 Gone with which of the three it is, so the page can say so instead of a generic error. */
function gone(reason: Closed): Response {
  return json({ reason }, { status: 410, statusText: "Gone" });
}

function unknownInvitation(): Response {
  return new Response("There is no invitation at this address. Check that the link was copied whole.", { status: 404, statusText: "Not Found" });
}

/** Shown without a session: a person who has no account yet must see what they are invited to. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const summary = await invitationSummary(context, params.invitationId);
  if (!summary) throw unknownInvitation();
  const user = await getOptionalUser(request, context);
  // Someone who already joined through this link is told so, even once it is used up.
  const alreadyUsed = user ? await hasUsedInvitation(context.store, summary.id, user.id) : false;
  if (summary.state !== "usable" && !alreadyUsed) throw gone(summary.state);
  const currentRole = user ? ((await getMembership(context.store, summary.teamId, user.id))?.role ?? null) : null;
  return json(
    {
      invitation: { teamId: summary.teamId, teamName: summary.teamName, role: summary.role, inviterName: summary.inviterName, expiresAt: summary.expiresAt },
      signedIn: !!user,
      alreadyUsed,
      currentRole,
      back: `/invite/${summary.id}`,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** Accepting needs a session; the use is taken atomically (see acceptInvitation). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const summary = await invitationSummary(context, params.invitationId);
  if (!summary) throw unknownInvitation();
  const result = await withTransaction(context.store, async (tx) => {
    const usedBefore = await hasUsedInvitation(tx, summary.id, user.id);
    const previousRole = (await getMembership(tx, summary.teamId, user.id))?.role ?? null;
    const accepted = await acceptInvitation(tx, summary.id, user.id);
    // Opening a link one already accepted takes no use and is not a new event.
    if (accepted.ok && !usedBefore) {
      await recordAudit(context, user, {
        action: "invitation.use",
        teamId: accepted.teamId,
        target: summary.id,
        details: { invitedRole: summary.role, from: previousRole, to: accepted.role },
      }, tx);
    }
    return accepted;
  });
  if (!result.ok) throw result.reason === "unknown" ? unknownInvitation() : gone(result.reason);
  if (result.changed) {
    await context.events.publish("membershipChanged", { teamId: result.teamId, userId: user.id, role: result.role });
    context.logger.info("teams", "invitation accepted", { teamId: result.teamId, userId: user.id, invitationId: summary.id, role: result.role });
  }
  return redirect(`/teams/${result.teamId}`);
}

export default function Invitation() {
  const { invitation, signedIn, alreadyUsed, currentRole, back } = useLoaderData<typeof loader>();
  const to = encodeURIComponent(back);
  return (
    <section className="card auth-card" style={{ margin: "2rem auto" }}>
      <h1>Join {invitation.teamName}</h1>
      <p>
        <strong>{invitation.inviterName}</strong> invited you to join <strong>{invitation.teamName}</strong> as{" "}
        <span className={`role-badge role-${invitation.role}`}>{invitation.role}</span>.
      </p>
      <p className="muted">The link works until {new Date(invitation.expiresAt).toUTCString()}.</p>
      {alreadyUsed ? (
        <p>
          You have already accepted this invitation. <Link to={`/teams/${invitation.teamId}`}>Open the team</Link>
        </p>
      ) : signedIn ? (
        <>
          {currentRole ? <p className="muted">You are already a member ({currentRole}); accepting keeps the higher role.</p> : null}
          <Form method="post">
            <button type="submit" className="button primary">
              Join the team
            </button>
          </Form>
        </>
      ) : (
        <div className="row-actions">
          <Link className="button primary" to={`/login?redirectTo=${to}`}>
            Sign in to accept
          </Link>
          <Link className="button" to={`/signup?redirectTo=${to}`}>
            Create an account to accept
          </Link>
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const reason = isRouteErrorResponse(error) && error.status === 410 ? (error.data as { reason?: Closed } | null)?.reason : undefined;
  if (!reason || !CLOSED_MESSAGES[reason]) return <GeneralErrorBoundary />;
  const { title, message } = CLOSED_MESSAGES[reason];
  return (
    <section className="error-page" role="alert" data-invitation-state={reason}>
      <p className="error-code">410</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/teams">Back to your teams</Link>
      </p>
    </section>
  );
}
