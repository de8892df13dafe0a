import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ExportLink } from "../components/export-link";
import { Blocks } from "../utils/version-blocks";
import { requireUser } from "../utils/auth.server";
import { badRequest } from "../utils/errors";
import { versionView } from "../utils/export.server";
import { canExport, requireBriefingRole } from "../utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Version ${data.model.meta.version} · ${data.model.meta.title}` : "Version" },
];

/** A stored final version, read-only, from the same data the PDF template prints. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireBriefingRole(context, params.briefingId, user);
  if (!/^[1-9]\d{0,8}$/.test(params.version ?? "")) throw badRequest("A version is a positive whole number.");
  return json({ briefingId: briefing.id, canExport: await canExport(context, briefing, role), model: await versionView(context, briefing, Number(params.version)) });
}

export default function VersionPage() {
  const { briefingId, canExport, model } = useLoaderData<typeof loader>();
  const { meta } = model;
  const base = `/briefings/${briefingId}`;
  return (
    <article className="version-view">
      <p className="muted breadcrumb">
        <Link to={base}>{meta.title}</Link> · <Link to={`${base}/versions`}>Versions</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>{meta.title}</h1>
          <p className="muted">
            {meta.summitName} · {meta.city} · {meta.dates}
          </p>
          <p className="muted">
            Version {meta.version}, finalized {meta.finalizedAt}
            {meta.finalizedBy ? ` by ${meta.finalizedBy}` : ""} · sha256 <code title={meta.contentHash ?? ""}>{meta.shortHash}</code>
          </p>
        </div>
        <div className="briefing-meta">
          <span className="classification">{meta.classification}</span>
          <span className="status-badge status-final">Final · read-only</span>
          {canExport ? (
            <>
            <ExportLink href={`${base}/export.pdf?version=${meta.version}`}>Export PDF</ExportLink>
            <ExportLink href={`${base}/export.docx?version=${meta.version}`}>Export Word</ExportLink>
            <ExportLink href={`${base}/export.md?version=${meta.version}`}>Export Markdown</ExportLink>
            </>
          ) : null}
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
