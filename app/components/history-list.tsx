import { Form, useFetcher } from "@remix-run/react";
import { useState } from "react";
import { formatBytes, formatWhen, VERSION_NAME_MAX } from "../utils/history-format";
import { useListNavigate } from "./list-link";

export interface HistoryVersion {
  seq: number;
  kind: string;
  name: string | null;
  authors: { id: string; name: string; color: string }[];
  changeBytes: number;
  createdAt: string;
  createdBy: string | null;
}

type Result = { ok: true; intent: string; version?: number } | { ok: false; error: string };

const KIND_LABELS: Record<string, string> = {
  auto: "Edits",
  status: "Status change",
  named: "Named",
  restore: "Restore",
  final: "Final",
};

/** Coloured names: each author in the colour their caret has in the editor. */
export function AuthorNames({ authors }: { authors: { id: string; name: string; color: string }[] }) {
  if (authors.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {authors.map((a, i) => (
        <span key={a.id} className="history-author">
          <span className="author-dot" style={{ background: a.color }} aria-hidden="true" />
          {a.name}
          {i < authors.length - 1 ? ", " : ""}
        </span>
      ))}
    </>
  );
}

/**
 * The history table: Save version (editors and owners), Compare two versions, View and Restore
 * each one. Buttons appear only for roles that may use them; the server checks again.
 */
export function HistoryList({ briefingId, versions, canRestore, canName }: { briefingId: string; versions: HistoryVersion[]; canRestore: boolean; canName: boolean }) {
  const save = useFetcher<Result>();
  const restore = useFetcher<Result>();
  const [confirm, setConfirm] = useState<number | null>(null);
  const go = useListNavigate();
  const base = `/briefings/${briefingId}/history`;
  // The compare form is not wrapped around the table: a Restore form inside it would be a form in
  // a form, which the browser submits as a page load, so the fetcher never saw the answer.
  const compareForm = `history-compare-${briefingId}`;
  const saved = save.data?.ok ? save.data.version : null;
  const restored = restore.data?.ok ? restore.data.version : null;
  const error = (save.data && !save.data.ok ? save.data.error : null) ?? (restore.data && !restore.data.ok ? restore.data.error : null);
  return (
    <>
      {canName ? (
        <save.Form method="post" action={`${base}?index`} className="history-save card">
          <input type="hidden" name="intent" value="save" />
          <label>
            Version name{" "}
            <input name="name" required maxLength={VERSION_NAME_MAX} placeholder="e.g. Sent to the minister's office" />
          </label>
          <button type="submit" className="button primary" disabled={save.state !== "idle"}>
            Save version
          </button>
          {saved ? <span role="status">Saved as version {saved}.</span> : null}
        </save.Form>
      ) : null}
      {restored ? (
        <p role="status" className="history-restored">
          Restored. Everyone editing sees it now; it is version {restored} in the history.
        </p>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      {versions.length === 0 ? (
        <p className="empty card">No versions yet. One is taken a few minutes after editing starts, at every status change and when you save one.</p>
      ) : (
        <div className="history-compare-form">
          <table className="versions-table history-table card">
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Version</th>
                <th scope="col">When</th>
                <th scope="col">Authors</th>
                <th scope="col">Change</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v, i) => (
                <tr key={v.seq} data-version={v.seq}>
                  <td className="history-pick">
                    <input type="radio" form={compareForm} name="a" value={v.seq} defaultChecked={i === 1} aria-label={`Compare from version ${v.seq}`} />
                    <input type="radio" form={compareForm} name="b" value={v.seq} defaultChecked={i === 0} aria-label={`Compare to version ${v.seq}`} />
                  </td>
                  <td>
                    <a href={`${base}/${v.seq}`} onClick={go}>
                      {v.name ?? `Version ${v.seq}`}
                    </a>
                    <span className="muted history-kind"> · {KIND_LABELS[v.kind] ?? v.kind}</span>
                  </td>
                  <td>{formatWhen(v.createdAt)}</td>
                  <td>
                    <AuthorNames authors={v.authors} />
                  </td>
                  <td>{v.changeBytes > 0 ? formatBytes(v.changeBytes) : "—"}</td>
                  <td className="row-actions">
                    <a className="button small" href={`${base}/${v.seq}`} onClick={go}>
                      View
                    </a>
                    {canRestore && i > 0 ? (
                      confirm === v.seq ? (
                        <restore.Form method="post" action={`${base}?index`} onSubmit={() => setConfirm(null)}>
                          <input type="hidden" name="intent" value="restore" />
                          <input type="hidden" name="version" value={v.seq} />
                          <button type="submit" className="button small danger">
                            Restore version {v.seq}
                          </button>
                        </restore.Form>
                      ) : (
                        <button type="button" className="button small" onClick={() => setConfirm(v.seq)} disabled={restore.state !== "idle"}>
                          Restore…
                        </button>
                      )
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form method="get" action={`${base}/compare`} id={compareForm}>
            {versions.length > 1 ? (
              <button type="submit" className="button">
                Compare selected
              </button>
            ) : null}
          </Form>
        </div>
      )}
    </>
  );
}
