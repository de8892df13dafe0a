import { ComparedBody } from "./compared-body";
import type { ComparedPart } from "./compared-structured";
import type { Authors, Segment } from "./compared-segments";

/** The shape of server/history/compare.ts's Comparison. */
export interface ComparisonView {
  blocks: { type: string; level: number | null; change: string; move?: { from: number; to: number }; segments: Segment[]; parts?: ComparedPart[] }[];
  fields: { label: string; field: string; before: string; after: string }[];
}

/**
 * A comparison as the compare page shows it: changed block fields side by side, then the newer
 * body with its changes. Rendered to HTML in a history thread (server/history/payload.ts), so a
 * large comparison never becomes a React tree on the event loop; the page inserts that HTML.
 */
export function ComparedResult({ comparison, authors, a, b }: { comparison: ComparisonView; authors: Authors; a: number; b: number }) {
  return (
    <>
      {comparison.fields.length > 0 ? (
        <table className="versions-table card compare-fields">
          <caption>Changed block fields</caption>
          <thead>
            <tr>
              <th scope="col">Block</th>
              <th scope="col">Field</th>
              <th scope="col">Version {a}</th>
              <th scope="col">Version {b}</th>
            </tr>
          </thead>
          <tbody>
            {comparison.fields.map((f, i) => (
              <tr key={i}>
                <td>{f.label}</td>
                <td>{f.field}</td>
                <td>
                  <del>{f.before || "—"}</del>
                </td>
                <td>
                  <ins>{f.after || "—"}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="card version-body compare-body">
        <ComparedBody blocks={comparison.blocks} authors={authors} />
      </div>
    </>
  );
}
