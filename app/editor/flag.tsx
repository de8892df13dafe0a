import { countryFlag } from "../../extensions/country-fact/countries";

let supported: boolean | undefined;

/**
 * Whether this system draws flag emoji (Windows and many Linux setups show two letters or boxes).
 * Measured once: a real flag is one glyph, about as wide as one regional-indicator letter.
 */
function flagsSupported(): boolean {
  if (supported !== undefined) return supported;
  try {
    const ctx = document.createElement("canvas").getContext("2d");
    if (!ctx) return (supported = false);
    ctx.font = "32px sans-serif";
    const flag = ctx.measureText("\u{1F1F0}\u{1F1FF}").width;
    const letter = ctx.measureText("\u{1F1F0}").width;
    supported = flag > 0 && flag < letter * 1.5;
  } catch {
    supported = false;
  }
  return supported;
}

/** A country's flag where the system can draw it; nothing otherwise (the code is shown beside it). */
export function Flag({ country }: { country: string }) {
  const flag = countryFlag(country);
  if (!flag || !flagsSupported()) return null;
  return (
    <span className="fact-flag" aria-hidden>
      {flag}
    </span>
  );
}
