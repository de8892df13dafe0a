import { useEffect, useState } from "react";
import type { LibraryFactDTO } from "../utils/fact-validation";

/** A fact from the team's country-facts library, as served by `/teams/<teamId>/facts.json`. */
export type LibraryFact = Omit<LibraryFactDTO, "updatedAt" | "stale">;

export type FactLibraryState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; facts: LibraryFact[]; byId: Map<string, LibraryFact> };

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Accepts `{ facts: [...] }` or a bare array; drops entries without an id. */
export function parseFactLibrary(json: unknown): LibraryFact[] {
  const list = Array.isArray(json) ? json : Array.isArray((json as { facts?: unknown })?.facts) ? (json as { facts: unknown[] }).facts : [];
  return list
    .map((f) => {
      const r = (f ?? {}) as Record<string, unknown>;
      return {
        id: str(r.id),
        country: str(r.country),
        countryName: str(r.countryName),
        label: str(r.label),
        value: str(r.value),
        unit: str(r.unit),
        asOf: str(r.asOf),
        source: str(r.source),
      };
    })
    .filter((f) => f.id);
}

const cache = new Map<string, Promise<LibraryFact[]>>();

function loadFacts(teamId: string, refresh: boolean): Promise<LibraryFact[]> {
  let p = refresh ? undefined : cache.get(teamId);
  if (!p) {
    p = fetch(`/teams/${encodeURIComponent(teamId)}/facts.json`, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(async (res) => {
      if (!res.ok) throw new Error(res.status === 404 ? "The fact library is not available." : `The fact library could not be loaded (HTTP ${res.status}).`);
      return parseFactLibrary(await res.json());
    });
    // A failed load is retried on the next use instead of being cached.
    p.catch(() => cache.delete(teamId));
    cache.set(teamId, p);
  }
  return p;
}

/** The team's fact library, fetched once per page and shared by every fact block and the picker. */
export function useFactLibrary(teamId: string, enabled = true, refreshKey = 0): FactLibraryState {
  const [state, setState] = useState<FactLibraryState>({ status: "loading" });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadFacts(teamId, refreshKey > 0).then(
      (facts) => live && setState({ status: "ready", facts, byId: new Map(facts.map((f) => [f.id, f])) }),
      (err: unknown) => live && setState({ status: "error", message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [teamId, enabled, refreshKey]);
  return state;
}

/** What "Update to library value" copies; the label stays as the author worded it. */
export const LIBRARY_VALUE_FIELDS = ["value", "unit", "asOf", "source"] as const;

/** The value fields of a block that differ from its library fact. */
export function libraryDifferences(block: Pick<LibraryFact, (typeof LIBRARY_VALUE_FIELDS)[number]>, fact: LibraryFact) {
  return LIBRARY_VALUE_FIELDS.filter((k) => (block[k] ?? "") !== fact[k]);
}
