import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { updateToJSON } from "../../server/export/document-json";
import { buildExportModel } from "../../server/export/model";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ExportLink } from "../components/export-link";
import { AuthorNames } from "../components/history-list";
import { Blocks } from "../utils/version-blocks";
import { requireUser } from "../utils/auth.server";
import { authorsById, historyExportInfo, parseSeq, requireHistory, requireVersion, versionState, versionSummary } from "../utils/history.server";
import { formatWhen } from "../utils/history-format";
import { canExport, requireBriefingRole } from "../utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Version ${data.version.seq} · ${data.briefing.title}` : "Version" }];

/** One version of the history, read-only (any member), from the model the PDF prints. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const seq = parseSeq(params.seq);
  const v = requireVersion(history, briefing, seq);
  const state = await versionState(history, briefing, seq);
  const authors = authorsById(context, [...v.authors, ...(v.createdBy ? [v.createdBy] : [])]);
  return json({
    briefing: { id: briefing.id, title: briefing.title },
    canExport: canExport(context, briefing, role),
    version: versionSummary(v, authors),
    model: buildExportModel(updateToJSON(state), historyExportInfo(context, briefing, v)),
  });
}

export default function HistoryVersionPage() {
  const { briefing, canExport, version, model } = useLoaderData<typeof loader>();
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
      <div className="card version-body">
        <Blocks blocks={model.blocks} />
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
