import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ExportLink } from "../components/export-link";
import { AuthorNames } from "../components/history-list";
import { StreamedHtml } from "../components/streamed-html";
import { requireUser } from "../utils/auth.server";
import { authorsById, parseSeq, requireHistory, requireVersion, versionSummary } from "../utils/history.server";
import { formatWhen } from "../utils/history-format";
import { canExport, requireBriefingRole } from "../utils/permissions.server";

interface VersionPageData {
  briefing: { id: string; title: string };
  canExport: boolean;
  version: ReturnType<typeof versionSummary>;
}

export const meta: MetaFunction = ({ data }) => {
  const d = data as VersionPageData | undefined;
  return [{ title: d ? `Version ${d.version.seq} · ${d.briefing.title}` : "Version" }];
};

/**
 * One version of the history, read-only (any member), from the model the PDF prints. Its body is
 * :seq/body.html, rebuilt and rendered in a history thread and streamed unread (docs/decisions/0116).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const seq = parseSeq(params.seq);
  const v = await requireVersion(history, briefing, seq);
  const authors = await authorsById(context, [...v.authors, ...(v.createdBy ? [v.createdBy] : [])]);
  const data: VersionPageData = { briefing: { id: briefing.id, title: briefing.title }, canExport: await canExport(context, briefing, role), version: versionSummary(v, authors) };
  return json(data);
}

export default function HistoryVersionPage() {
  const { briefing, canExport, version } = useLoaderData<VersionPageData>();
  const base = `/briefings/${briefing.id}`;
  return (
    <article className="version-view history-version">
      <p className="muted breadcrumb">
        <Link to={base}>{briefing.title}</Link> · <Link to={`${base}/history`}>History</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>{version.name ?? `Version ${version.seq}`}</h1>
          <p className="muted">
            Version {version.seq}, {formatWhen(version.createdAt)} · <AuthorNames authors={version.authors} />
          </p>
        </div>
        <div className="briefing-meta">
          <span className="status-badge">Read-only</span>
          {canExport ? <ExportLink href={`${base}/history/${version.seq}/export.pdf`}>Export PDF</ExportLink> : null}
        </div>
      </div>
      <StreamedHtml src={`${base}/history/${version.seq}/body.html`} className="card version-body" label="version" />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
