import { isIsoDate } from "../shared/attrs";

/** How old a fact may get before it is flagged, unless FACT_STALE_MONTHS says otherwise. */
export const DEFAULT_FACT_STALE_MONTHS = 12;

/**
 * True when a fact dated `asOf` (YYYY-MM-DD) is older than `months` calendar months at `now`.
 * A fact without a valid date is stale: nobody can vouch for how current it is.
 * Month arithmetic clamps to the month's end (2025-02-28 + 12 months is stale after 2026-02-28).
 */
export function isFactStale(asOf: string, now: Date = new Date(), months: number = DEFAULT_FACT_STALE_MONTHS): boolean {
  if (!isIsoDate(asOf)) return true;
  const [y, m, d] = asOf.split("-").map(Number);
  const totalMonths = y * 12 + (m - 1) + months;
  const ey = Math.floor(totalMonths / 12);
  const em = totalMonths % 12;
  const lastDay = new Date(Date.UTC(ey, em + 1, 0)).getUTCDate();
  const expires = Date.UTC(ey, em, Math.min(d, lastDay));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return today > expires;
}
