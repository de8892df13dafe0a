import { Link, useFetcher } from "@remix-run/react";
import { useState } from "react";
import type { BriefingStatus, Role } from "../../db/enums";
import { ExportLink } from "./export-link";
import { SendForReviewForm, type ReviewCandidate } from "./send-for-review-form";
import { roleAtLeast } from "../utils/roles";
import { STATUS_TRANSITIONS } from "../utils/status";

type StatusResult = { ok: true; status: BriefingStatus; version: number | null } | { ok: false; error: string };

/**
 * Status workflow (send for review, finalize, reopen), PDF, Word and Markdown export and the version list. Buttons
 * appear only for roles that may use them; the server checks every transition again.
 */
export function BriefingActions({
  briefing,
  role,
  canExport,
  reviewCandidates = [],
}: {
  briefing: { id: string; status: BriefingStatus | string };
  role: Role;
  /** The team's export policy allows this role to export (the server checks again). */
  canExport: boolean;
  /** Members who may be named approvers (at least commenters). */
  reviewCandidates?: ReviewCandidate[];
}) {
  const fetcher = useFetcher<StatusResult>();
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const base = `/briefings/${briefing.id}`;
  const transitions = STATUS_TRANSITIONS.filter((t) => t.from === briefing.status && roleAtLeast(role, t.minRole));
  const busy = fetcher.state !== "idle";
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  const isFinal = briefing.status === "final";

  return (
    <div className="briefing-actions" aria-label="Briefing actions">
      <div className="briefing-actions-row">
        {transitions.map((t) =>
          t.to === "final" && !confirming ? (
            <button key={t.to} type="button" className="button primary" onClick={() => setConfirming(true)} disabled={busy}>
              {t.label}…
            </button>
          ) : t.to === "final" ? null : t.to === "in_review" ? (
            <button key={t.to} type="button" className="button primary" onClick={() => setSending(true)} disabled={busy || sending}>
              {t.label}…
            </button>
          ) : (
            <fetcher.Form key={t.to} method="post" action={`${base}/status`} className="inline-form">
              <input type="hidden" name="to" value={t.to} />
              <button type="submit" className="button" disabled={busy}>
                {t.label}
              </button>
            </fetcher.Form>
          ),
        )}
        {canExport ? (
          <span className="export-choices" role="group" aria-label="Export">
          <ExportLink href={`${base}/export.pdf`}>{isFinal ? "Export PDF" : "Export draft PDF"}</ExportLink>
          <ExportLink href={`${base}/export.docx`}>Export Word</ExportLink>
          <ExportLink href={`${base}/export.md`}>Export Markdown</ExportLink>
          </span>
        ) : null}
        <Link className="button" to={`${base}/versions`}>
          Versions
        </Link>
      </div>
      {sending && briefing.status === "draft" ? (
        <SendForReviewForm fetcher={fetcher as never} action={`${base}/status`} candidates={reviewCandidates} onCancel={() => setSending(false)} />
      ) : null}
      {confirming ? (
        <fetcher.Form
          method="post"
          action={`${base}/status`}
          className="notice finalize-confirm"
          onSubmit={() => setConfirming(false)}
        >
          <input type="hidden" name="to" value="final" />
          <span>Finalizing freezes the text for everyone and records a new version with a content hash.</span>
          {role === "owner" ? (
            <label className="override-reason">
              Override missing approvals (owners; the reason is recorded in the audit trail and the clearance record)
              <textarea name="override" rows={2} maxLength={2000} placeholder="Leave empty unless you finalize without every approval" />
            </label>
          ) : null}
          <button type="submit" className="button primary" disabled={busy}>
            Confirm finalize
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fetcher.Form>
      ) : null}
      {isFinal ? (
        <p className="hint">Final: editing is frozen.{role === "owner" ? " Reopen to make changes." : " The owner can reopen it."}</p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
