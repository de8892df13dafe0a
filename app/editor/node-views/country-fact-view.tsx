import { NodeViewWrapper, type ReactNodeViewProps } from "@tiptap/react";
import { PortionBadge } from "./portion-badge";
import { useState } from "react";
import { countryName } from "../../../extensions/country-fact/countries";
import { formatFactValue, type CountryFactAttrs } from "../../../extensions/country-fact/country-fact";
import { isFactStale } from "../../../extensions/country-fact/stale";
import { sourceHref } from "../../../extensions/shared/attrs";
import { useEditorEnv } from "../editor-env";
import { Flag } from "../flag";
import { LIBRARY_VALUE_FIELDS, libraryDifferences, useFactLibrary } from "../fact-library";
import { AttrText, SourceText } from "./attr-fields";

/** A country fact card; compares itself with the team library when it came from there. */
export function CountryFactView({ node, updateAttributes, editor }: ReactNodeViewProps) {
  const env = useEditorEnv();
  const a = node.attrs as CountryFactAttrs;
  const [editing, setEditing] = useState(!a.label && !a.value && !env.readOnly);
  const library = useFactLibrary(env.teamId, Boolean(a.libraryFactId));
  const set = (key: keyof CountryFactAttrs) => (value: string) => updateAttributes({ [key]: value });
  const stale = isFactStale(a.asOf, new Date(), env.factStaleMonths);
  const name = a.countryName || countryName(a.country);
  const libFact = a.libraryFactId && library.status === "ready" ? library.byId.get(a.libraryFactId) : undefined;
  const diffs = libFact ? libraryDifferences(a, libFact) : [];

  return (
    <NodeViewWrapper id={a.blockId ? `block-${a.blockId}` : undefined} className={`block block-fact${stale ? " is-stale" : ""}`} data-type="country-fact">
      <PortionBadge editor={editor} node={node} />
      <div className="fact-card" contentEditable={false}>
        <div className="fact-country">
          <Flag country={a.country} />
          <span>{name || "Country not set"}</span>
          {a.country && <span className="fact-code">{a.country}</span>}
        </div>
        <div className="fact-main">
          <span className="fact-label">{a.label || "Untitled fact"}</span>
          <span className="fact-value">{formatFactValue(a) || "—"}</span>
        </div>
        <div className="fact-meta">
          <span>{a.asOf ? `As of ${a.asOf}` : "No date"}</span>
          <SourceText source={a.source} href={sourceHref(a.source)} />
          {!a.source && <span className="flag-missing">Missing source</span>}
          {stale && (
            <span className="badge badge-stale" title={`Older than ${env.factStaleMonths} months, or undated`}>
              Stale
            </span>
          )}
          {a.libraryFactId && <LibraryBadge state={library.status} found={Boolean(libFact)} outdated={diffs.length > 0} />}
          {!env.readOnly && (
            <button type="button" className="link-button block-edit-toggle" aria-expanded={editing} onClick={() => setEditing(!editing)}>
              {editing ? "Done" : "Edit"}
            </button>
          )}
        </div>
        {libFact && diffs.length > 0 && (
          <div className="fact-library-diff" role="status">
            <span>
              Library: <strong>{formatFactValue(libFact)}</strong>
              {libFact.asOf && ` as of ${libFact.asOf}`}
            </span>
            {!env.readOnly && (
              <button
                type="button"
                className="button small primary"
                onClick={() => updateAttributes(Object.fromEntries(LIBRARY_VALUE_FIELDS.map((k) => [k, libFact[k]])))}
              >
                Update to library value
              </button>
            )}
          </div>
        )}
        {editing && (
          <div className="attr-grid">
            <AttrText
              label="Country"
              value={a.country}
              onChange={(v) => {
                const code = v.toUpperCase().slice(0, 2);
                updateAttributes({ country: code, countryName: countryName(code) });
              }}
              disabled={env.readOnly}
              list="sd-countries"
              maxLength={2}
              placeholder="KZ"
            />
            <AttrText label="Label" value={a.label} onChange={set("label")} disabled={env.readOnly} placeholder="e.g. Population" />
            <AttrText label="Value" value={a.value} onChange={set("value")} disabled={env.readOnly} placeholder="20.3" />
            <AttrText label="Unit" value={a.unit} onChange={set("unit")} disabled={env.readOnly} placeholder="million" />
            <AttrText label="As of" type="date" value={a.asOf} onChange={set("asOf")} disabled={env.readOnly} />
            <AttrText label="Source" value={a.source} onChange={set("source")} disabled={env.readOnly} wide placeholder="URL or citation" invalid={!a.source} />
          </div>
        )}
      </div>
    </NodeViewWrapper>
  );
}

function LibraryBadge({ state, found, outdated }: { state: string; found: boolean; outdated: boolean }) {
  if (state === "loading") return <span className="badge">Library…</span>;
  if (state === "error") return <span className="badge" title="The fact library could not be loaded">Library unavailable</span>;
  if (!found) return <span className="badge badge-warn">Removed from library</span>;
  return outdated ? <span className="badge badge-warn">Library has newer value</span> : <span className="badge badge-ok">Matches library</span>;
}
