import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireUser } from "../utils/auth.server";
import { requireTeamRole } from "../utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.team.name} · Summit Desk` : "Team · Summit Desk" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team, role } = await requireTeamRole(context, params.teamId, user);
  return json({ team: { id: team.id, name: team.name }, role });
}

/** Team header and tabs; each tab is a child route. */
export default function TeamLayout() {
  const { team, role } = useLoaderData<typeof loader>();
  const tabs = [
    { to: `/teams/${team.id}`, label: "Briefings", end: true },
    { to: `/teams/${team.id}/search`, label: "Search", end: false },
    { to: `/teams/${team.id}/quotes`, label: "Quotes", end: false },
    { to: `/teams/${team.id}/facts`, label: "Country facts", end: false },
    { to: `/teams/${team.id}/members`, label: "Members", end: false },
  ];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{team.name}</h1>
          <p className="muted">
            You are <span className={`role-badge role-${role}`}>{role}</span> · <Link to="/teams?all=1">All teams</Link>
          </p>
        </div>
      </div>
      <nav className="tabs" aria-label="Team sections">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to} end={t.end}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
