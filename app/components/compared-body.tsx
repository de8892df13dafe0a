/** The shapes of server/history/compare.ts, as the loader sends them. */
interface Segment {
  text: string;
  op: "same" | "ins" | "del";
  author: string | null;
}
interface ComparedBlock {
  type: string;
  level: number | null;
  change: string;
  segments: Segment[];
}

type Authors = Record<string, { name: string; color: string }>;

/** Inserted text underlined and deleted text struck through, each in its author's colour. */
function Segments({ segments, authors }: { segments: Segment[]; authors: Authors }) {
  return (
    <>
      {segments.map((s, i) => {
        const text = s.text.split("\n").flatMap((line, j) => (j === 0 ? [line] : [<br key={j} />, line]));
        if (s.op === "same") return <span key={i}>{text}</span>;
        const who = s.author ? authors[s.author] : undefined;
        const style = who ? { color: who.color, textDecorationColor: who.color } : undefined;
        const title = `${s.op === "ins" ? "Inserted" : "Deleted"}${who ? ` by ${who.name}` : ""}`;
        return s.op === "ins" ? (
          <ins key={i} style={style} title={title} data-author={who?.name}>
            {text}
          </ins>
        ) : (
          <del key={i} style={style} title={title} data-author={who?.name}>
            {text}
          </del>
        );
      })}
    </>
  );
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
          return (
            <div key={i} className={cls}>
              <p className="muted compare-block-type">{BLOCK_LABELS[b.type]}</p>
              <p>{inner}</p>
            </div>
          );
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
