import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { AUDIT_ACTIONS } from "../../db/audit-actions";
import { auditPage, parseAuditQuery, requireAuditAccess } from "../utils/audit-trail.server";
import { requireUser } from "../utils/auth.server";
import { listAuditPeople, listBriefings } from "../utils/db.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Audit trail · ${data.team.name} · Summit Desk` : "Audit trail · Summit Desk" }];

/**
 * GET /teams/:teamId/audit — the team's audit trail for its owners, newest first, paged, filtered
 * by action, person, briefing and date range (UTC days, both inclusive). Read-only: nothing in the
 * app changes or removes a row.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const team = await requireAuditAccess(context, params.teamId, user);
  const query = parseAuditQuery(new URL(request.url));
  const { total, pages, events } = await auditPage(context, team.id, query);
  const briefings = [...(await listBriefings(context.store, team.id)), ...(await listBriefings(context.store, team.id, { archived: true }))]
    .map((b) => ({ id: b.id, title: b.title }))
    .sort((a, b) => a.title.localeCompare(b.title));
  return json(
    {
      team: { id: team.id, name: team.name },
      params: query.params,
      page: query.page,
      pages,
      total,
      people: await listAuditPeople(context.store, team.id),
      briefings,
      events: events.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        action: e.action,
        actorEmail: e.actorEmail,
        briefingId: e.briefingId,
        target: e.target,
        details: e.details,
        ip: e.ip,
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** The details of an event as short text: `from → to` for changes, `key: value` for the rest. */
function describe(details: Record<string, unknown>): string {
  const { from, to, ...rest } = details;
  const parts: string[] = [];
  if (from !== undefined || to !== undefined) parts.push(`${String(from ?? "—")} → ${String(to ?? "—")}`);
  for (const [k, v] of Object.entries(rest)) {
    if (v === null || v === undefined) continue;
    parts.push(`${k}: ${k === "contentHash" && typeof v === "string" ? v.slice(0, 12) : String(v)}`);
  }
  return parts.join(" · ");
}

export default function AuditTrail() {
  const { team, params, page, pages, total, people, briefings, events } = useLoaderData<typeof loader>();
  const search = (overrides: Record<string, string>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...overrides })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : "";
  };
  const titles = new Map(briefings.map((b) => [b.id, b.title]));
  return (
    <div className="audit-page">
      <p className="muted breadcrumb">
        <Link to={`/teams/${team.id}`}>{team.name}</Link> · <Link to={`/teams/${team.id}/members`}>Members</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>Audit trail</h1>
          <p className="muted">
            {`${total} ${total === 1 ? "event" : "events"} · times in UTC · rows are never changed or removed`}
          </p>
        </div>
        <a className="button" href={`/teams/${team.id}/audit.csv${search({ page: "" })}`} download>
          Download CSV
        </a>
      </div>
      <Form method="get" className="list-toolbar audit-filters" aria-label="Filter the audit trail">
        <label>
          Action{" "}
          <select name="action" defaultValue={params.action}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Person{" "}
          <select name="person" defaultValue={params.person}>
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Briefing{" "}
          <select name="briefing" defaultValue={params.briefing}>
            <option value="">Any briefing</option>
            {briefings.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" name="from" defaultValue={params.from} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={params.to} />
        </label>
        <button type="submit" className="button small">
          Filter
        </button>
        <Link to={`/teams/${team.id}/audit`} className="button small">
          Clear
        </Link>
      </Form>
      {events.length === 0 ? (
        <p className="muted">No events match these filters.</p>
      ) : (
        <table className="list audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Action</th>
              <th>Person</th>
              <th>Briefing or subject</th>
              <th>Details</th>
              <th>Address</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{e.at.slice(0, 19).replace("T", " ")}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.actorEmail ?? "—"}</td>
                <td>
                  {e.briefingId && titles.has(e.briefingId) ? <Link to={`/briefings/${e.briefingId}`}>{titles.get(e.briefingId)}</Link> : (e.target ?? "—")}
                </td>
                <td>{describe(e.details as Record<string, unknown>)}</td>
                <td>{e.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={search({ page: String(page - 1) })}>Newer</Link> : null}
          <span className="muted">{`Page ${page} of ${pages}`}</span>
          {page < pages ? <Link to={search({ page: String(page + 1) })}>Older</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
