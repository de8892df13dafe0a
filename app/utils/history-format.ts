export { formatWhen } from "./time-format";

/** "1.2 kB": the size of a change for people. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** Largest version name. */
export const VERSION_NAME_MAX = 120;
