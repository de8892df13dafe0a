import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { readFilters, teamLibrary } from "../utils/blocks.server";
import { requireTeamRole } from "../utils/permissions.server";

/**
 * GET /teams/<teamId>/facts.json — the team's fact library for the editor's fact picker:
 * `[{ id, country, countryName, label, value, unit, asOf, source, updatedAt, stale }]`, filtered by
 * `?q=` and `?country=` like the library page. Any member may read it.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team } = await requireTeamRole(context, params.teamId, user);
  const { facts } = await teamLibrary(context, team.id, readFilters(new URL(request.url), ["q", "country"]));
  return json(
    facts.map(({ id, country, countryName, label, value, unit, asOf, source, updatedAt, stale }) => ({ id, country, countryName, label, value, unit, asOf, source, updatedAt, stale })),
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
