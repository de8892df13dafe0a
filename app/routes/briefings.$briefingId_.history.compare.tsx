import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { AuthorNames } from "../components/history-list";
import { StreamedHtml } from "../components/streamed-html";
import { requireComparison, type AuthorInfo } from "../utils/history.server";
import { formatWhen } from "../utils/history-format";

interface VersionLabel {
  seq: number;
  name: string | null;
  createdAt: string;
}

interface ComparePageData {
  briefing: { id: string; title: string };
  a: VersionLabel;
  b: VersionLabel;
  authors: Record<string, AuthorInfo>;
}

export const meta: MetaFunction = ({ data }) => {
  const d = data as ComparePageData | undefined;
  return [{ title: d ? `Compare ${d.a.seq} and ${d.b.seq} · ${d.briefing.title}` : "Compare" }];
};

/**
 * GET /briefings/:id/history/compare?a=<n>&b=<m>: the body of the newer version with what changed
 * since the older marked (computed on the server), and changed block fields side by side. Any member.
 * The comparison itself is compare.html, rendered in a history thread and streamed unread
 * (docs/decisions/0116), which the page inserts; the same comparison as data is compare.json.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { briefing, history, va, vb, authors } = await requireComparison({ request, params, context });
  // The page asks for compare.html once it is shown: both versions are rebuilt meanwhile (ADR 0110, 2026-12-04).
  history.warm(briefing.id, { older: va.seq, newer: vb.seq });
  const label = (v: typeof va): VersionLabel => ({ seq: v.seq, name: v.name, createdAt: v.createdAt.toISOString() });
  const data: ComparePageData = { briefing: { id: briefing.id, title: briefing.title }, a: label(va), b: label(vb), authors };
  return json(data);
}

export default function ComparePage() {
  const { briefing, a, b, authors } = useLoaderData<ComparePageData>();
  const base = `/briefings/${briefing.id}`;
  const label = (v: VersionLabel) => `${v.name ?? `Version ${v.seq}`} (${formatWhen(v.createdAt)})`;
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
      <StreamedHtml src={`${base}/history/compare.html?a=${a.seq}&b=${b.seq}`} className="compare-result" label="comparison" />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
