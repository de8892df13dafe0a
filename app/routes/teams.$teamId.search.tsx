import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireUser } from "../utils/auth.server";
import { readFilters, searchTeam, type TextSegment } from "../utils/blocks.server";
import { requireTeamRole } from "../utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Search · Summit Desk" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team } = await requireTeamRole(context, params.teamId, user);
  const { q } = readFilters(new URL(request.url), ["q"]);
  return json({ q, hits: q ? await searchTeam(context, team.id, q) : [] });
}

/** Matched words are marked from server-made segments; no HTML is ever built from briefing text. */
function Highlighted({ segments }: { segments: TextSegment[] }) {
  return <>{segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</>;
}

/** Full-text search over the titles and bodies of the team's briefings. */
export default function SearchBriefings() {
  const { q, hits } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="search-heading">
      <h2 id="search-heading">Search briefings</h2>
      <Form method="get" className="list-toolbar filter-form" role="search">
        <label>
          <span className="sr-only">Search</span>
          <input type="search" name="q" defaultValue={q} placeholder="Words in a title or body, e.g. Cavusoglu" autoFocus={!q} />
        </label>
        <button type="submit" className="button small">
          Search
        </button>
      </Form>
      {q ? (
        hits.length === 0 ? (
          <p className="empty">Nothing found for “{q}”.</p>
        ) : (
          <ol className="search-results" aria-label={`${hits.length} results`}>
            {hits.map((h) => (
              <li key={h.briefingId} className="card">
                <h3>
                  <Link to={`/briefings/${h.briefingId}?q=${encodeURIComponent(q)}`}>
                    <Highlighted segments={h.titleSegments} />
                  </Link>{" "}
                  <span className={`status-badge status-${h.status}`}>{h.status.replace("_", " ")}</span>
                </h3>
                {h.snippetSegments.length ? (
                  <p className="snippet">
                    <Highlighted segments={h.snippetSegments} />
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )
      ) : (
        <p className="muted">Diacritics are optional: “Cavusoglu” finds “Çavuşoğlu”.</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
