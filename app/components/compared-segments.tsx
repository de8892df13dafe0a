/** The shapes of server/history/compare.ts, as the loader sends them. */
export interface Segment {
  text: string;
  op: "same" | "ins" | "del";
  author: string | null;
}

export type Authors = Record<string, { name: string; color: string }>;

/** Inserted text underlined and deleted text struck through, each in its author's colour. */
export function Segments({ segments, authors }: { segments: Segment[]; authors: Authors }) {
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
