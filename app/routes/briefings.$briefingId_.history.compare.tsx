import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ComparedBody } from "../components/compared-body";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { AuthorNames } from "../components/history-list";
import { requireUser } from "../utils/auth.server";
import { authorsById, parseSeq, requireHistory, requireVersion } from "../utils/history.server";
import { formatWhen } from "../utils/history-format";
import { requireBriefingRole } from "../utils/permissions.server";
import { readStoredDocument } from "../utils/stored-document.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Compare ${data.a.seq} and ${data.b.seq} · ${data.briefing.title}` : "Compare" }];

/**
 * GET /briefings/:id/history/compare?a=<n>&b=<m>: the body of the newer version with what changed
 * since the older marked (computed on the server), and changed block fields side by side. Any member.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing } = requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const url = new URL(request.url);
  let a = parseSeq(url.searchParams.get("a"), "a");
  let b = parseSeq(url.searchParams.get("b"), "b");
  if (a > b) [a, b] = [b, a];
  const va = requireVersion(history, briefing, a);
  const vb = requireVersion(history, briefing, b);
  const started = performance.now();
  const comparison = await readStoredDocument(async () => history.compare(briefing.id, a, b));
  if (!comparison) throw new Response("Version not found.", { status: 404 });
  const ms = performance.now() - started;
  context.logger.debug("history", "compared", { briefingId: briefing.id, a, b, ms: Math.round(ms) });
  const ids = new Set<string>();
  for (const block of comparison.blocks) for (const s of [...block.segments, ...block.parts.flatMap((p) => p.segments)]) if (s.author) ids.add(s.author);
  for (const v of history.store.after(briefing.id, a)) if (v.seq <= b) v.authors.forEach((id) => ids.add(id));
  const authors = authorsById(context, ids);
  return json({
    briefing: { id: briefing.id, title: briefing.title },
    a: { seq: va.seq, name: va.name, createdAt: va.createdAt.toISOString() },
    b: { seq: vb.seq, name: vb.name, createdAt: vb.createdAt.toISOString() },
    authors,
    comparison,
  });
}

export default function ComparePage() {
  const { briefing, a, b, authors, comparison } = useLoaderData<typeof loader>();
  const base = `/briefings/${briefing.id}`;
  const label = (v: typeof a) => `${v.name ?? `Version ${v.seq}`} (${formatWhen(v.createdAt)})`;
  return (
    <article className="version-view history-compare">
      <p className="muted breadcrumb">
        <Link to={base}>{briefing.title}</Link> · <Link to={`${base}/history`}>History</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>Compare versions</h1>
          <p className="muted">
            From {label(a)} to {label(b)}
          </p>
          <p className="muted">
            Changes by <AuthorNames authors={Object.values(authors)} />
          </p>
        </div>
      </div>
      {comparison.fields.length > 0 ? (
        <table className="versions-table card compare-fields">
          <caption>Changed block fields</caption>
          <thead>
            <tr>
              <th scope="col">Block</th>
              <th scope="col">Field</th>
              <th scope="col">Version {a.seq}</th>
              <th scope="col">Version {b.seq}</th>
            </tr>
          </thead>
          <tbody>
            {comparison.fields.map((f, i) => (
              <tr key={i}>
                <td>{f.label}</td>
                <td>{f.field}</td>
                <td>
                  <del>{f.before || "—"}</del>
                </td>
                <td>
                  <ins>{f.after || "—"}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="card version-body compare-body">
        <ComparedBody blocks={comparison.blocks} authors={authors} />
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
