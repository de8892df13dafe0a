export interface SinceReadCount {
  name: string;
  inserted: number;
  deleted: number;
}

const chars = (n: number) => `${n} ${n === 1 ? "character" : "characters"}`;

/** "Emre Yıldız added 12 characters, deleted 3" for each person, after the banner's summary. */
export function SinceReadCounts({ counts }: { counts: SinceReadCount[] }) {
  if (counts.length === 0) return null;
  return (
    <span className="since-read-counts muted">
      {" · "}
      {counts.map((c, i) => (
        <span key={i} className="since-read-count" data-author={c.name} data-inserted={c.inserted} data-deleted={c.deleted}>
          {i > 0 ? "; " : ""}
          {c.name}: {[c.inserted > 0 ? `added ${chars(c.inserted)}` : "", c.deleted > 0 ? `deleted ${chars(c.deleted)}` : ""].filter(Boolean).join(", ")}
        </span>
      ))}
    </span>
  );
}
