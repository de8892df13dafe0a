import type { Editor } from "@tiptap/core";
import { useEffect, useRef, useState } from "react";
import { countryName } from "../../extensions/country-fact/countries";
import { formatFactValue } from "../../extensions/country-fact/country-fact";
import { isFactStale } from "../../extensions/country-fact/stale";
import { caretAfterSelectedBlock } from "./block-commands";
import { Flag } from "./flag";
import { useFactLibrary, type LibraryFact } from "./fact-library";

/** Picks a fact from the team's library and inserts it as a linked country-fact block. */
export function FactPicker({ editor, teamId, staleMonths, onClose: close }: { editor: Editor; teamId: string; staleMonths: number; onClose: () => void }) {
  // Closing (Escape, ✕, a click outside, or after inserting) hands the keyboard back to the text.
  const onClose = () => {
    close();
    if (!editor.isDestroyed) editor.commands.focus();
  };
  const [query, setQuery] = useState("");
  const [refresh, setRefresh] = useState(1); // always fetch fresh values when the picker opens
  const library = useFactLibrary(teamId, true, refresh);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const q = query.trim().toLowerCase();
  const facts =
    library.status === "ready"
      ? library.facts.filter((f) => !q || [f.label, f.country, f.countryName || countryName(f.country), f.value, f.source].some((s) => s.toLowerCase().includes(q)))
      : [];

  const insert = (f: LibraryFact) => {
    editor
      .chain()
      .focus()
      .insertCountryFact({
        country: f.country,
        countryName: f.countryName || countryName(f.country),
        label: f.label,
        value: f.value,
        unit: f.unit,
        asOf: f.asOf,
        source: f.source,
        libraryFactId: f.id,
      })
      .run();
    caretAfterSelectedBlock(editor);
    onClose();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal fact-picker" role="dialog" aria-modal="true" aria-labelledby="fact-picker-title" onKeyDown={(e) => e.key === "Escape" && onClose()}>
        <header className="modal-head">
          <h2 id="fact-picker-title">Insert a fact from the library</h2>
          <button type="button" className="link-button" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <input ref={inputRef} className="fact-search" type="search" placeholder="Search by country, label or source" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search facts" />
        {library.status === "loading" && <p className="muted">Loading the library…</p>}
        {library.status === "error" && (
          <p className="form-error">
            {library.message}{" "}
            <button type="button" className="link-button" onClick={() => setRefresh((n) => n + 1)}>
              Try again
            </button>
          </p>
        )}
        {library.status === "ready" && facts.length === 0 && <p className="muted">{library.facts.length ? "No fact matches your search." : "The team's library has no facts yet."}</p>}
        <ul className="fact-list">
          {facts.map((f) => (
            <li key={f.id}>
              <button type="button" className="fact-option" onClick={() => insert(f)}>
                <Flag country={f.country} />
                <span className="fact-code">{f.country}</span>
                <span className="fact-option-text">
                  <span className="fact-option-label">
                    {f.label} <span className="muted">· {f.countryName || countryName(f.country)}</span>
                  </span>
                  <span className="fact-option-meta">
                    <strong>{formatFactValue(f)}</strong>
                    {f.asOf && ` · as of ${f.asOf}`}
                    {isFactStale(f.asOf, new Date(), staleMonths) && <span className="badge badge-stale">Stale</span>}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
