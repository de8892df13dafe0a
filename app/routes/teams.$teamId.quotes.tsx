import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { sourceHref } from "../../extensions/shared/attrs";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireUser } from "../utils/auth.server";
import { readFilters, teamQuotes } from "../utils/blocks.server";
import { requireTeamRole } from "../utils/permissions.server";
import { CountryFilterControls } from "../components/filter-controls";

export const meta: MetaFunction = () => [{ title: "Quotes · Summit Desk" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team } = await requireTeamRole(context, params.teamId, user);
  const filters = readFilters(new URL(request.url), ["speaker", "country"]);
  return json({ filters, ...(await teamQuotes(context, team.id, filters)) });
}

/** Every quote in the team's briefings, filterable by speaker and country, each linking to its place. */
export default function QuotesFinder() {
  const { quotes, speakers, countries, filters } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.speaker || filters.country);
  return (
    <section aria-labelledby="quotes-heading">
      <h2 id="quotes-heading">Quotes</h2>
      <Form method="get" className="list-toolbar filter-form" role="search" aria-label="Filter quotes">
        <label>
          <span className="sr-only">Speaker</span>
          <input type="search" name="speaker" list="quote-speakers" defaultValue={filters.speaker} placeholder="Speaker" />
        </label>
        <datalist id="quote-speakers">
          {speakers.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <CountryFilterControls countries={countries} selected={filters.country} filtered={filtered} />
      </Form>
      {quotes.length === 0 ? (
        <p className="empty">{filtered ? "No quotes match." : "No quotes yet: add a quote block to a briefing and it appears here."}</p>
      ) : (
        <ul className="quote-list">
          {quotes.map((q) => {
            const href = sourceHref(q.source);
            return (
              <li key={`${q.briefingId}/${q.blockId}`} className="card">
                <blockquote lang={q.lang}>{q.text || <span className="muted">(no words yet)</span>}</blockquote>
                {q.translation ? <p className="muted">{q.translation}</p> : null}
                <p>
                  — <strong>{q.speaker || "Unknown speaker"}</strong>
                  {q.speakerRole ? `, ${q.speakerRole}` : ""}
                  {q.country ? ` (${q.countryName})` : ""}
                  {q.date ? `, ${q.date}` : ""}
                </p>
                <p className="muted">
                  {q.source ? (
                    <>
                      Source:{" "}
                      {href ? (
                        <a href={href} rel="noreferrer noopener" target="_blank">
                          {q.source}
                        </a>
                      ) : (
                        q.source
                      )}
                      {" · "}
                    </>
                  ) : null}
                  In <Link to={`/briefings/${q.briefingId}#block-${q.blockId}`}>{q.briefingTitle}</Link>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
