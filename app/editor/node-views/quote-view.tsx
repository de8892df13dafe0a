import { NodeViewContent, NodeViewWrapper, type ReactNodeViewProps } from "@tiptap/react";
import { PortionBadge } from "./portion-badge";
import { useState } from "react";
import { COUNTRIES, countryName } from "../../../extensions/country-fact/countries";
import type { QuoteAttrs } from "../../../extensions/quote/quote";
import { sourceHref } from "../../../extensions/shared/attrs";
import { useEditorEnv } from "../editor-env";
import { Flag } from "../flag";
import { AttrText, AttrTextArea, SourceText } from "./attr-fields";

const LANGUAGES: [string, string][] = [
  ["en", "English"],
  ["tr", "Turkish"],
  ["kk", "Kazakh"],
  ["ru", "Russian"],
  ["fr", "French"],
  ["de", "German"],
  ["ar", "Arabic"],
  ["zh", "Chinese"],
];

/** Shared datalists so each block does not repeat them. */
export function BlockDatalists() {
  return (
    <>
      <datalist id="sd-countries">
        {COUNTRIES.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </datalist>
      <datalist id="sd-languages">
        {LANGUAGES.map(([tag, name]) => (
          <option key={tag} value={tag}>
            {name}
          </option>
        ))}
      </datalist>
    </>
  );
}

/** A pull quote: the words are editable text; the attribution is edited in a small form below. */
export function QuoteView({ node, updateAttributes, editor }: ReactNodeViewProps) {
  const env = useEditorEnv();
  const a = node.attrs as QuoteAttrs;
  const isNew = !a.speaker && !a.source && node.content.size === 0;
  const [editing, setEditing] = useState(isNew && !env.readOnly);
  const set = (key: keyof QuoteAttrs) => (value: string) => updateAttributes({ [key]: value });
  const missing = [!a.speaker && "speaker", !a.source && "source"].filter(Boolean) as string[];
  const who = [a.speaker, a.speakerRole].filter(Boolean).join(", ");

  return (
    <NodeViewWrapper as="figure" id={a.blockId ? `block-${a.blockId}` : undefined} className="block block-quote" data-type="quote">
      <PortionBadge editor={editor} node={node} />
      <NodeViewContent<"blockquote"> as="blockquote" className={`quote-words${node.content.size === 0 ? " is-empty" : ""}`} lang={a.lang || "en"} />
      <figcaption contentEditable={false} className="quote-caption">
        <div className="quote-attribution">
          <span className="quote-who">{who ? `— ${who}` : "— Unattributed"}</span>
          {a.country && (
            <span className="quote-country">
              <Flag country={a.country} /> {countryName(a.country)}
            </span>
          )}
          {a.date && <time dateTime={a.date}>{a.date}</time>}
          {a.lang && a.lang !== "en" && <span className="chip">{a.lang}</span>}
        </div>
        {a.translation && (
          <p className="quote-translation" lang="en">
            {a.translation}
          </p>
        )}
        <div className="quote-footer">
          <SourceText source={a.source} href={sourceHref(a.source)} />
          {missing.length > 0 && (
            <span className="flag-missing" role="note">
              Missing {missing.join(" and ")}
            </span>
          )}
          {!env.readOnly && (
            <button type="button" className="link-button block-edit-toggle" aria-expanded={editing} onClick={() => setEditing(!editing)}>
              {editing ? "Done" : "Edit attribution"}
            </button>
          )}
        </div>
        {editing && (
          <div className="attr-grid">
            <AttrText label="Speaker" value={a.speaker} onChange={set("speaker")} disabled={env.readOnly} invalid={!a.speaker} placeholder="Who said it" />
            <AttrText label="Role / title" value={a.speakerRole} onChange={set("speakerRole")} disabled={env.readOnly} placeholder="e.g. Foreign Minister" />
            <AttrText
              label="Country"
              value={a.country}
              onChange={(v) => updateAttributes({ country: v.toUpperCase().slice(0, 2) })}
              disabled={env.readOnly}
              placeholder="KZ"
              list="sd-countries"
              maxLength={2}
            />
            <AttrText label="Date" type="date" value={a.date} onChange={set("date")} disabled={env.readOnly} />
            <AttrText label="Language" value={a.lang} onChange={set("lang")} disabled={env.readOnly} list="sd-languages" placeholder="en" />
            <AttrText label="Source" value={a.source} onChange={set("source")} disabled={env.readOnly} invalid={!a.source} wide placeholder="URL or citation" />
            <AttrTextArea label="Translation" value={a.translation} onChange={set("translation")} disabled={env.readOnly} placeholder="English translation, if the words are in another language" />
          </div>
        )}
      </figcaption>
    </NodeViewWrapper>
  );
}
