// Calls scripts/bench/pdf.ts (written by the PDF side) when it exists and turns what it returns
// into rows of the table. Its numbers are measured by that module, not re-derived here.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./processes";
import type { Row } from "./report";

const SCENARIO = "5. PDF (scripts/bench/pdf.ts)";

export async function runPdfHelper(quick: boolean): Promise<{ rows: Row[]; details: string[] }> {
  const file = path.join(ROOT, "scripts/bench/pdf.ts");
  if (!fs.existsSync(file)) {
    return {
      rows: [{ scenario: SCENARIO, metric: "render warm/cold, peak memory", ours: "not measured: pdf.ts does not exist", reference: "n/a", ratio: "—", target: "≤ 500 ms warm", verdict: "info" }],
      details: ["scripts/bench/pdf.ts did not exist at the time of this run; the HTTP export rows above are the only PDF numbers."],
    };
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = Object.entries(mod).find(([name, v]) => typeof v === "function" && /bench|measure|run/i.test(name));
  if (!fn) {
    return {
      rows: [{ scenario: SCENARIO, metric: "render", ours: "pdf.ts exports no bench function", reference: "n/a", ratio: "—", target: "≤ 500 ms warm", verdict: "FAIL" }],
      details: [`scripts/bench/pdf.ts exports: ${Object.keys(mod).join(", ")}`],
    };
  }
  try {
    const result = (await (fn[1] as (o: { quick: boolean }) => Promise<unknown>)({ quick })) as Record<string, unknown>;
    const rows: Row[] = Object.entries(result)
      .filter(([, v]) => typeof v === "number" || typeof v === "string" || typeof v === "boolean")
      .map(([k, v]) => ({ scenario: SCENARIO, metric: k, ours: String(typeof v === "number" ? Math.round(v * 100) / 100 : v), reference: "n/a", ratio: "—", target: "—", verdict: "info" }));
    return { rows, details: [`scripts/bench/pdf.ts ${fn[0]}() returned ${JSON.stringify(result)}`] };
  } catch (err) {
    return {
      rows: [{ scenario: SCENARIO, metric: "render", ours: `failed: ${(err as Error).message}`, reference: "n/a", ratio: "—", target: "≤ 500 ms warm", verdict: "FAIL" }],
      details: [],
    };
  }
}
