import { formatWhen } from "../utils/time-format";

/** The stored clearance record (db/schema/reviews.ts), as the versions page receives it. */
export interface ClearanceRecord {
  finalizedByName: string;
  finalizedAt: number;
  entries: { approverName: string; section: string; decision: "approved" | "missing" | "changes_requested"; at: number | null; note: string }[];
  override: { byName: string; reason: string } | null;
}

const LABELS = { approved: "Approved", changes_requested: "Changes requested", missing: "Not approved" } as const;
const time = (ms: number) => formatWhen(ms);

/** A final version's clearance record, as the PDF prints it: who approved what and when, and any override. */
export function ClearanceRecordView({ version, record }: { version: number; record: ClearanceRecord }) {
  return (
    <section className="card clearance-record" aria-label={`Clearance record of version ${version}`}>
      <h2>Clearance record · version {version}</h2>
      <p className="small muted">
        Finalized by {record.finalizedByName} on {time(record.finalizedAt)}.
      </p>
      {record.entries.length === 0 ? (
        <p>No approvers were named for this version.</p>
      ) : (
        <table className="review-table">
          <thead>
            <tr>
              <th scope="col">Approver</th>
              <th scope="col">Section</th>
              <th scope="col">Decision</th>
              <th scope="col">When</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {record.entries.map((e, i) => (
              <tr key={i}>
                <td>{e.approverName}</td>
                <td>{e.section}</td>
                <td>{LABELS[e.decision]}</td>
                <td>{e.at === null ? "—" : time(e.at)}</td>
                <td>{e.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {record.override ? (
        <p className="notice override">
          <strong>Finalized without every approval</strong> by {record.override.byName}. Reason: {record.override.reason}
        </p>
      ) : null}
    </section>
  );
}
