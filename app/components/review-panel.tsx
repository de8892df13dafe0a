import { useFetcher } from "@remix-run/react";
import { useState } from "react";

export interface ReviewPanelData {
  dueDate: string | null;
  requestedByName: string | null;
  approvers: { userId: string; name: string }[];
  /** "brief" first, then the agenda topics in document order. */
  sections: { id: string; label: string }[];
  decisions: { userId: string; section: string; decision: "approved" | "changes_requested"; note: string; decidedAt: number }[];
}

type DecisionResult = { ok: true } | { ok: false; error: string };

/**
 * Who must approve what, and each approver's decision per section; an approver approves or
 * requests changes here, for the whole brief and for each topic. The server checks every decision
 * again (briefings.$briefingId.review.ts).
 */
export function ReviewPanel({ briefingId, review, userId, canDecide }: { briefingId: string; review: ReviewPanelData; userId: string; canDecide: boolean }) {
  const isApprover = canDecide && review.approvers.some((a) => a.userId === userId);
  return (
    <section className="card review-panel" aria-label="Review">
      <h2>Review</h2>
      <p className="small muted">
        Sent by {review.requestedByName ?? "a former member"}
        {review.dueDate ? ` · due ${review.dueDate}` : ""} · approvers: {review.approvers.map((a) => a.name).join(", ")}
      </p>
      <table className="review-table">
        <thead>
          <tr>
            <th scope="col">Section</th>
            {review.approvers.map((a) => (
              <th key={a.userId} scope="col">
                {a.name}
              </th>
            ))}
            {isApprover ? <th scope="col">Your decision</th> : null}
          </tr>
        </thead>
        <tbody>
          {review.sections.map((s) => (
            <tr key={s.id} data-section={s.id}>
              <th scope="row">{s.label}</th>
              {review.approvers.map((a) => {
                const d = review.decisions.find((x) => x.userId === a.userId && x.section === s.id);
                return (
                  <td key={a.userId} className={`review-cell decision-${d?.decision ?? "pending"}`} title={d?.note || undefined}>
                    {d ? (d.decision === "approved" ? "Approved" : "Changes requested") : "Pending"}
                    {d?.note ? <span className="small muted"> · {d.note}</span> : null}
                  </td>
                );
              })}
              {isApprover ? (
                <td>
                  <DecisionForm briefingId={briefingId} section={s.id} label={s.label} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DecisionForm({ briefingId, section, label }: { briefingId: string; section: string; label: string }) {
  const fetcher = useFetcher<DecisionResult>();
  const [note, setNote] = useState("");
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return (
    <fetcher.Form method="post" action={`/briefings/${briefingId}/review`} className="inline-form review-decision" onSubmit={() => setNote("")}>
      <input type="hidden" name="section" value={section} />
      <input type="text" name="note" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note" aria-label={`Note on ${label}`} maxLength={2000} />
      <button type="submit" name="decision" value="approved" className="button primary" disabled={fetcher.state !== "idle"} aria-label={`Approve ${label}`}>
        Approve
      </button>
      <button type="submit" name="decision" value="changes_requested" className="button" disabled={fetcher.state !== "idle"} aria-label={`Request changes to ${label}`}>
        Request changes
      </button>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
