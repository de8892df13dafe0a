import { formatWhen } from "../utils/time-format";

/** The marking versions of a briefing: each change of its minimum level, who made it and why. */
export interface MarkingRow {
  version: number;
  fromLevel: string;
  toLevel: string;
  reason: string;
  status: string;
  changedByName: string;
  changedAt: string;
}

export function MarkingHistory({ markings }: { markings: MarkingRow[] }) {
  return (
    <section className="marking-history" aria-labelledby="marking-history-heading">
      <h2 id="marking-history-heading">Marking history</h2>
      {markings.length === 0 ? (
        <p className="empty card">Never reclassified: the minimum level is the one the briefing was created with.</p>
      ) : (
        <table className="versions-table card">
          <thead>
            <tr>
              <th scope="col">Marking</th>
              <th scope="col">When</th>
              <th scope="col">By</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {markings.map((m) => (
              <tr key={m.version} data-marking={m.version}>
                <td>{`Marking ${m.version}`}{m.status === "final" ? " (while final)" : ""}</td>
                <td>{formatWhen(m.changedAt)}</td>
                <td>{m.changedByName}</td>
                <td>{m.fromLevel}</td>
                <td>{m.toLevel}</td>
                <td>{m.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
