import { ComparedStructured, type ComparedPart } from "./compared-structured";
import { Segments, type Authors, type Segment } from "./compared-segments";

/** The shape of server/history/compare.ts's ComparedBlock, as the loader sends it. */
interface ComparedBlock {
  type: string;
  level: number | null;
  change: string;
  segments: Segment[];
  parts?: ComparedPart[];
}

const BLOCK_LABELS: Record<string, string> = { quote: "Quote", agendaTopic: "Agenda topic", countryFact: "Country fact" };

/** The newer version's body with the changes since the older one marked, block by block. */
export function ComparedBody({ blocks, authors }: { blocks: ComparedBlock[]; authors: Authors }) {
  return (
    <>
      {blocks.map((b, i) => {
        const inner = <Segments segments={b.segments} authors={authors} />;
        const cls = `compare-block compare-${b.change}`;
        if (b.type === "heading") {
          const H = `h${Math.min((b.level ?? 1) + 1, 6)}` as "h2";
          return <H key={i} className={cls}>{inner}</H>;
        }
        if (BLOCK_LABELS[b.type]) {
          return <ComparedStructured key={i} type={b.type} className={cls} segments={b.segments} parts={b.parts ?? []} authors={authors} />;
        }
        return (
          <p key={i} className={cls}>
            {inner}
          </p>
        );
      })}
    </>
  );
}
