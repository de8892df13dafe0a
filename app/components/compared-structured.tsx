import { Segments, type Authors, type Segment } from "./compared-segments";

export interface ComparedPart {
  field: string;
  label: string;
  segments: Segment[];
}

/**
 * A quote, agenda topic or country fact in a comparison, with its content and not only its label:
 * the quote's words and translation, the topic's title and body (talking points, draft position),
 * the fact's label, value and unit, each with its insertions and deletions.
 */
export function ComparedStructured({ type, className, segments, parts, authors }: { type: string; className: string; segments: Segment[]; parts: ComparedPart[]; authors: Authors }) {
  const part = (field: string) => parts.find((p) => p.field === field);
  const show = (p: ComparedPart | undefined) => (p && p.segments.length > 0 ? <Segments segments={p.segments} authors={authors} /> : null);
  const body = <Segments segments={segments} authors={authors} />;
  if (type === "quote") {
    const translation = part("translation");
    return (
      <figure className={`${className} version-quote`} data-block-type="quote">
        <p className="muted compare-block-type">Quote</p>
        <blockquote data-field="text">{body}</blockquote>
        {translation && translation.segments.length > 0 ? (
          <figcaption data-field="translation">
            {translation.label}: {show(translation)}
          </figcaption>
        ) : null}
      </figure>
    );
  }
  if (type === "agendaTopic") {
    return (
      <section className={`${className} version-topic`} data-block-type="agendaTopic">
        <p className="muted compare-block-type">Agenda topic</p>
        <h3 data-field="title">{show(part("title")) ?? "Untitled topic"}</h3>
        <p data-field="body">{body}</p>
      </section>
    );
  }
  // A country fact: "label: value unit".
  const unit = part("unit");
  return (
    <div className={className} data-block-type={type}>
      <p className="muted compare-block-type">Country fact</p>
      <p>
        <span data-field="label">{show(part("label"))}</span>: <span data-field="value">{show(part("value"))}</span>
        {unit && unit.segments.length > 0 ? (
          <>
            {" "}
            <span data-field="unit">{show(unit)}</span>
          </>
        ) : null}
      </p>
      {segments.length > 0 ? <p data-field="body">{body}</p> : null}
    </div>
  );
}
