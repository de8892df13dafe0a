import type { AppLoadContext } from "@remix-run/node";
import {
  createLibraryFact,
  getLibraryFact,
  listLibraryCountries,
  listLibraryFacts,
  listQuoteFacets,
  listTeamQuotes,
  MATCH_END,
  MATCH_START,
  searchBriefings,
  updateLibraryFact,
} from "../../db/queries/blocks";
import { isValidId } from "../../db/ids";
import type { LibraryFact } from "../../db/schema";
import { countryName } from "../../extensions/country-fact/countries";
import { isFactStale } from "../../extensions/country-fact/stale";
import { isCountryCode } from "../../extensions/shared/attrs";
import { indexBriefingTitle } from "../../server/persistence/projection";
import type { LibraryFactDTO, LibraryFactForm } from "./fact-validation";

export { indexBriefingTitle };
export type { LibraryFactDTO };

function toDTO(f: LibraryFact, staleMonths: number, now: Date): LibraryFactDTO {
  return {
    id: f.id,
    country: f.country,
    countryName: countryName(f.country),
    label: f.label,
    value: f.value,
    unit: f.unit,
    asOf: f.asOf,
    source: f.source,
    updatedAt: f.updatedAt.toISOString(),
    stale: isFactStale(f.asOf, now, staleMonths),
  };
}

/** Query-string filters are untrusted: bounded, and a country filter only when it is an ISO code. */
export function readFilters(url: URL, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) out[name] = (url.searchParams.get(name) ?? "").trim().slice(0, 200);
  if ("country" in out) out.country = isCountryCode(out.country.toUpperCase()) ? out.country.toUpperCase() : "";
  return out;
}

export async function teamLibrary(context: AppLoadContext, teamId: string, filters: { q?: string; country?: string } = {}, now = new Date()) {
  const months = context.config.FACT_STALE_MONTHS;
  return {
    facts: (await listLibraryFacts(context.store, teamId, filters)).map((f) => toDTO(f, months, now)),
    countries: (await listLibraryCountries(context.store, teamId)).map((code) => ({ code, name: countryName(code) })),
    staleMonths: months,
  };
}

export async function getTeamLibraryFact(context: AppLoadContext, teamId: string, factId: string): Promise<LibraryFactDTO | undefined> {
  if (!isValidId(factId)) return undefined;
  const fact = await getLibraryFact(context.store, teamId, factId);
  return fact ? toDTO(fact, context.config.FACT_STALE_MONTHS, new Date()) : undefined;
}

export async function addLibraryFact(context: AppLoadContext, teamId: string, input: LibraryFactForm, userId: string): Promise<LibraryFactDTO> {
  return toDTO(await createLibraryFact(context.store, teamId, input, userId), context.config.FACT_STALE_MONTHS, new Date());
}

/** Undefined when the team has no fact with that id (another team's id included). */
export async function editLibraryFact(context: AppLoadContext, teamId: string, factId: string, input: LibraryFactForm, userId: string) {
  if (!isValidId(factId)) return undefined;
  const fact = await updateLibraryFact(context.store, teamId, factId, input, userId);
  return fact ? toDTO(fact, context.config.FACT_STALE_MONTHS, new Date()) : undefined;
}

export async function teamQuotes(context: AppLoadContext, teamId: string, filters: { speaker?: string; country?: string }) {
  const facets = await listQuoteFacets(context.store, teamId);
  return {
    quotes: (await listTeamQuotes(context.store, teamId, filters)).map((q) => ({ ...q, countryName: countryName(q.country) })),
    speakers: facets.speakers,
    countries: facets.countries.map((code) => ({ code, name: countryName(code) })),
  };
}

/** A piece of highlighted text: `match` pieces are the words that matched the search. */
export type TextSegment = { text: string; match: boolean };

/** Splits text marked with MATCH_START/MATCH_END into segments, so pages never build HTML from it. */
export function toSegments(marked: string): TextSegment[] {
  const out: TextSegment[] = [];
  let match = false;
  let current = "";
  for (const ch of marked) {
    if (ch === MATCH_START || ch === MATCH_END) {
      if (current) out.push({ text: current, match });
      current = "";
      match = ch === MATCH_START;
    } else current += ch;
  }
  if (current) out.push({ text: current, match });
  return out;
}

export async function searchTeam(context: AppLoadContext, teamId: string, q: string) {
  return (await searchBriefings(context.store, teamId, q)).map((hit) => ({
    briefingId: hit.briefingId,
    title: hit.title,
    status: hit.status,
    titleSegments: toSegments(hit.titleHighlighted),
    snippetSegments: toSegments(hit.snippet),
  }));
}
