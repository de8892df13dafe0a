import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireUser } from "../utils/auth.server";
import { acceptInvitation, getMembership, getUsableInvitation, isValidId } from "../utils/db.server";

export const meta: MetaFunction = () => [{ title: "Invitation · Summit Desk" }];

function requireInvitation(context: LoaderFunctionArgs["context"], id: string | undefined) {
  const found = isValidId(id) ? getUsableInvitation(context.db, id) : undefined;
  if (!found) throw new Response("This invitation has expired, was revoked, or never existed.", { status: 404 });
  return found;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { invitation, team } = requireInvitation(context, params.invitationId);
  const current = getMembership(context.db, team.id, user.id);
  return json({ team: { id: team.id, name: team.name }, role: invitation.role, currentRole: current?.role ?? null });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { invitation, team } = requireInvitation(context, params.invitationId);
  acceptInvitation(context.db, invitation, user.id);
  const role = getMembership(context.db, team.id, user.id)?.role ?? null;
  context.events.emit("membershipChanged", { teamId: team.id, userId: user.id, role });
  return redirect(`/teams/${team.id}`);
}

export default function Invitation() {
  const { team, role, currentRole } = useLoaderData<typeof loader>();
  return (
    <section className="card auth-card" style={{ margin: "2rem auto" }}>
      <h1>Join {team.name}</h1>
      <p>
        You have been invited as <span className={`role-badge role-${role}`}>{role}</span>.
      </p>
      {currentRole ? <p className="muted">You are already a member ({currentRole}); accepting keeps the higher role.</p> : null}
      <Form method="post">
        <button type="submit" className="button primary">
          Join the team
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
