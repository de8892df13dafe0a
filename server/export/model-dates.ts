/** Dates as the exports print them: in English, times in UTC. */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2026-12-14" → "14 December 2026"; anything else is returned as typed. */
export function humanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

export function dateRange(start: string, end: string): string {
  if (!end || end === start) return humanDate(start);
  const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(end);
  if (a && b && a[1] === b[1] && a[2] === b[2]) return `${Number(a[3])}–${humanDate(end)}`;
  return `${humanDate(start)} – ${humanDate(end)}`;
}

/** "5 March 2026, 14:32 UTC". */
export function timestamp(d: Date): string {
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${humanDate(d.toISOString().slice(0, 10))}, ${hh}:${mm} UTC`;
}
