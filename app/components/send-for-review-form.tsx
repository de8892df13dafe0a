import type { FetcherWithComponents } from "@remix-run/react";

export interface ReviewCandidate {
  userId: string;
  name: string;
  role: string;
}

/** Send for review: the approvers (members who may at least comment) and an optional due date. */
export function SendForReviewForm({
  fetcher,
  action,
  candidates,
  onCancel,
}: {
  fetcher: FetcherWithComponents<unknown>;
  action: string;
  candidates: ReviewCandidate[];
  onCancel: () => void;
}) {
  return (
    <fetcher.Form method="post" action={action} className="notice send-for-review">
      <input type="hidden" name="to" value="in_review" />
      <fieldset>
        <legend>Approvers</legend>
        {candidates.length === 0 && <p className="small muted">Nobody else in the team may approve. Invite a member with at least the commenter role; you cannot approve your own request.</p>}
        {candidates.map((c) => (
          <label key={c.userId} className="checkbox">
            <input type="checkbox" name="approvers" value={c.userId} /> {c.name} <span className="small muted">({c.role})</span>
          </label>
        ))}
      </fieldset>
      <label>
        Due date (optional) <input type="date" name="due" />
      </label>
      <button type="submit" className="button primary" disabled={fetcher.state !== "idle"}>
        Confirm send for review
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </fetcher.Form>
  );
}
