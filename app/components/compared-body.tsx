import { ComparedStructured, type ComparedPart } from "./compared-structured";
import { Segments, type Authors, type Segment } from "./compared-segments";

/** The shape of server/history/compare.ts's ComparedBlock, as the loader sends it. */
interface ComparedBlock {
  type: string;
  level: number | null;
  change: string;
  move?: { from: number; to: number };
  movedBy?: string | null;
  segments: Segment[];
  parts?: ComparedPart[];
}

const BLOCK_LABELS: Record<string, string> = { quote: "Quote", agendaTopic: "Agenda topic", countryFact: "Country fact" };

/** The newer version's body with the changes since the older one marked, block by block. */
export function ComparedBody({ blocks, authors }: { blocks: ComparedBlock[]; authors: Authors }) {
  return (
    <>
      {blocks.map((b, i) =>
        b.move ? (
          <div key={i} className="compare-move-entry" data-move-from={b.move.from} data-move-to={b.move.to}>
            <p className="muted compare-move">
              Moved from position {b.move.from} to {b.move.to}
              {b.movedBy && authors[b.movedBy] ? ` by ${authors[b.movedBy].name}` : ""}
            </p>
            <ComparedBlockView block={b} authors={authors} />
          </div>
        ) : (
          <ComparedBlockView key={i} block={b} authors={authors} />
        ),
      )}
    </>
  );
}

function ComparedBlockView({ block: b, authors }: { block: ComparedBlock; authors: Authors }) {
  const inner = <Segments segments={b.segments} authors={authors} />;
  const cls = `compare-block compare-${b.change}`;
  if (b.type === "heading") {
    const H = `h${Math.min((b.level ?? 1) + 1, 6)}` as "h2";
    return <H className={cls}>{inner}</H>;
  }
  if (BLOCK_LABELS[b.type]) {
    return <ComparedStructured type={b.type} className={cls} segments={b.segments} parts={b.parts ?? []} authors={authors} />;
  }
  return <p className={cls}>{inner}</p>;
}
