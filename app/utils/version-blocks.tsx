import type { ReactNode } from "react";
import type { ExportBlock, Run } from "../../server/export/model-types";

/** A stored version's body, read-only, from the same model the PDF template prints. */
function Runs({ runs }: { runs: Run[] }) {
  return (
    <>
      {runs.map((r, i) => {
        if (r.br) return <br key={i} />;
        let node: ReactNode = r.t;
        if (r.code) node = <code>{node}</code>;
        if (r.b) node = <strong>{node}</strong>;
        if (r.i) node = <em>{node}</em>;
        if (r.u) node = <u>{node}</u>;
        if (r.s) node = <s>{node}</s>;
        if (r.href) node = <a href={r.href} rel="noopener noreferrer nofollow" target="_blank">{node}</a>;
        return <span key={i}>{node}</span>;
      })}
    </>
  );
}

function Source({ source, href }: { source: string; href: string }) {
  return href ? <a href={href} rel="noopener noreferrer nofollow" target="_blank">{source}</a> : <>{source}</>;
}

export function Blocks({ blocks }: { blocks: ExportBlock[] }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.kind) {
          case "paragraph":
            return <p key={i}><Runs runs={b.runs} /></p>;
          case "heading": {
            const H = `h${Math.min(b.level + 1, 6)}` as "h2";
            return <H key={i}><Runs runs={b.runs} /></H>;
          }
          case "list": {
            const items = b.items.map((item, j) => <li key={j}><Blocks blocks={item} /></li>);
            return b.ordered ? <ol key={i} start={b.start}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case "blockquote":
            return <blockquote key={i}><Blocks blocks={b.blocks} /></blockquote>;
          case "code":
            return <pre key={i}>{b.text}</pre>;
          case "rule":
            return <hr key={i} />;
          case "quote":
            return (
              <figure key={i} className="version-quote">
                <blockquote lang={b.lang.region ? `${b.lang.lang}-${b.lang.region}` : b.lang.lang}>“<Runs runs={b.runs} />”</blockquote>
                {b.translation ? <p className="muted">Translation: {b.translation}</p> : null}
                <figcaption>
                  — {[b.speaker, b.speakerRole, b.country, b.date].filter(Boolean).join(", ")}
                  {b.source ? <> · Source: <Source source={b.source} href={b.sourceHref} /></> : null}
                </figcaption>
              </figure>
            );
          case "topic":
            return (
              <section key={i} className="version-topic">
                <h3>{b.number}. {b.title}</h3>
                <p className="muted">Priority {b.priority} · {b.status}{b.owner ? ` · Owner: ${b.owner}` : ""}</p>
                <Blocks blocks={b.blocks} />
              </section>
            );
          case "facts":
            return (
              <table key={i} className="version-facts">
                {b.country ? <caption>Country facts — {b.country}</caption> : null}
                <thead>
                  <tr>{!b.country ? <th>Country</th> : null}<th>Indicator</th><th>Value</th><th>As of</th><th>Source</th></tr>
                </thead>
                <tbody>
                  {b.rows.map((r, j) => (
                    <tr key={j}>
                      {!b.country ? <td>{r.country}</td> : null}
                      <td>{r.label}</td>
                      <td>{r.value}{r.unit ? ` ${r.unit}` : ""}</td>
                      <td>{r.asOf}{r.stale ? <strong className="stale"> (stale)</strong> : null}</td>
                      <td><Source source={r.source} href={r.sourceHref} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          default:
            return null;
        }
      })}
    </>
  );
}

