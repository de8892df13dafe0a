import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ExportLink } from "../components/export-link";
import { AuthorNames } from "../components/history-list";
import { requireUser } from "../utils/auth.server";
import { authorsById, historyExportInfo, jsonWithPayload, parseSeq, requireHistory, requireVersion, versionSummary } from "../utils/history.server";
import { formatWhen } from "../utils/history-format";
import { canExport, requireBriefingRole } from "../utils/permissions.server";
import { readStoredDocument } from "../utils/stored-document.server";

interface VersionPageData {
  briefing: { id: string; title: string };
  canExport: boolean;
  version: ReturnType<typeof versionSummary>;
  /** The version's body, rendered in a history thread from the model the PDF prints (utils/version-blocks.tsx). */
  html: string;
}

export const meta: MetaFunction = ({ data }) => {
  const d = data as VersionPageData | undefined;
  return [{ title: d ? `Version ${d.version.seq} · ${d.briefing.title}` : "Version" }];
};

/**
 * One version of the history, read-only (any member), from the model the PDF prints. Rebuilt and
 * rendered in a history thread; its HTML is streamed as it arrives (docs/decisions/0116).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const seq = parseSeq(params.seq);
  const v = requireVersion(history, briefing, seq);
  const html = await readStoredDocument(() => history.view(briefing.id, seq, historyExportInfo(context, briefing, v)));
  if (!html) throw new Response(`Version ${seq} not found.`, { status: 404 });
  const authors = authorsById(context, [...v.authors, ...(v.createdBy ? [v.createdBy] : [])]);
  const head: Omit<VersionPageData, "html"> = { briefing: { id: briefing.id, title: briefing.title }, canExport: canExport(context, briefing, role), version: versionSummary(v, authors) };
  return jsonWithPayload(head, "html", html);
}

export default function HistoryVersionPage() {
  const { briefing, canExport, version, html } = useLoaderData<VersionPageData>();
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
      {/* Rendered on the server from the same components, escaped there (react-dom/server). */}
      <div className="card version-body" dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
