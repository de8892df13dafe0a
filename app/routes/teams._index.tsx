import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createTeam, listTeamsForUser } from "../utils/db.server";
import { Field } from "../components/field";
import { requireUser } from "../utils/auth.server";
import { parseForm } from "../utils/form";

export const meta: MetaFunction = () => [{ title: "Teams · Summit Desk" }];

export const TEAM_NAME_MAX = 80;
const CreateTeamSchema = z.object({
  name: z.string().trim().min(1, "Give the team a name.").max(TEAM_NAME_MAX, `A team name has at most ${TEAM_NAME_MAX} characters.`),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const teams = await listTeamsForUser(context.store, user.id);
  // Sign-in and the brand link land here. With one team there is nothing to choose, so go straight
  // to its briefings; "All teams" there (?all=1) still shows this page, to create another team.
  if (teams.length === 1 && new URL(request.url).searchParams.get("all") !== "1") throw redirect(`/teams/${teams[0].id}`);
  return json({ teams });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = parseForm(CreateTeamSchema, await request.formData());
  if (parsed.errors) return json({ errors: parsed.errors }, { status: 400 });
  const team = await createTeam(context.store, parsed.data.name, user.id);
  return redirect(`/teams/${team.id}`);
}

export default function Teams() {
  const { teams } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Your teams</h1>
          <p className="muted">Each team keeps its own briefings, members and country-facts library.</p>
        </div>
      </div>
      {teams.length ? (
        <ul className="team-cards">
          {teams.map((t) => (
            <li key={t.id}>
              <Link to={`/teams/${t.id}`}>
                <div className="card">
                  <h2 style={{ marginTop: 0 }}>{t.name}</h2>
                  <p className="muted">
                    {t.briefings} briefing{t.briefings === 1 ? "" : "s"} · {t.members} member{t.members === 1 ? "" : "s"} ·{" "}
                    <span className={`role-badge role-${t.role}`}>{t.role}</span>
                  </p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card empty">You are not in a team yet. Create one below, or open an invitation link from a colleague.</p>
      )}
      <section className="card" style={{ maxWidth: 480, marginTop: "1.5rem" }}>
        <h2 style={{ marginTop: 0 }}>Create a team</h2>
        <Form method="post" noValidate>
          <Field label="Team name" name="name" required maxLength={80} errors={actionData?.errors?.name} placeholder="e.g. Central Asia desk" />
          <button type="submit" className="button primary">
            Create team
          </button>
        </Form>
      </section>
    </>
  );
}
