import { formatWhen } from "../utils/time-format";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { STATUS_LABELS } from "../../db/enums";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ExportLink } from "../components/export-link";
import { requireUser } from "../utils/auth.server";
import { canExport, requireBriefingRole } from "../utils/permissions.server";
import { listClearances, listVersions } from "../utils/db.server";
import { listMarkings } from "../utils/classification.server";
import { MarkingHistory } from "../components/marking-history";
import { ClearanceRecordView } from "../components/clearance-record";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Versions · ${data.briefing.title}` : "Versions" }];

/** Every final version of a briefing, newest first; earlier finals stay after a reopen. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireBriefingRole(context, params.briefingId, user);
  return json({
    canExport: await canExport(context, briefing, role),
    briefing: { id: briefing.id, title: briefing.title, status: briefing.status },
    versions: (await listVersions(context.store, briefing.id)).map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
    markings: (await listMarkings(context.store, briefing.id)).map((m) => ({ ...m, changedAt: m.changedAt.toISOString() })),
    clearances: await listClearances(context.store, briefing.id),
  });
}

export default function VersionsPage() {
  const { briefing, versions, markings, canExport, clearances } = useLoaderData<typeof loader>();
  const base = `/briefings/${briefing.id}`;
  return (
    <div className="versions-page">
      <p className="muted breadcrumb">
        <Link to={base}>{briefing.title}</Link>
      </p>
      <div className="page-header">
        <h1>Versions</h1>
        <span className={`status-badge status-${briefing.status}`}>Now: {STATUS_LABELS[briefing.status]}</span>
      </div>
      {versions.length === 0 ? (
        <p className="empty card">No final version yet. Finalizing the briefing records one here.</p>
      ) : (
        <table className="versions-table card">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Finalized</th>
              <th scope="col">By</th>
              <th scope="col">Content hash</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>
                  <Link to={`${base}/versions/${v.version}`}>{`Version ${v.version}`}</Link>
                </td>
                <td>{formatWhen(v.createdAt)}</td>
                <td>{v.createdByName ?? "—"}</td>
                <td>
                  <code title={v.contentHash}>{v.contentHash.slice(0, 12)}</code>
                </td>
                <td className="row-actions">
                  <Link className="button small" to={`${base}/versions/${v.version}`}>
                    View
                  </Link>
                  {canExport ? (
                    <>
                    <ExportLink className="button small" href={`${base}/export.pdf?version=${v.version}`}>PDF</ExportLink>
                    <ExportLink className="button small" href={`${base}/export.docx?version=${v.version}`}>Word</ExportLink>
                    <ExportLink className="button small" href={`${base}/export.md?version=${v.version}`}>Markdown</ExportLink>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MarkingHistory markings={markings} />
      {clearances.map((c) => (
        <ClearanceRecordView key={c.version} version={c.version} record={c.record} />
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
