import { describe, expect, it } from "vitest";
import { commonEnds, lcsScript } from "./sequence-diff";

/** Applies the script: kept and inserted elements in order make `b`; kept ones are a common subsequence. */
function run(a: string, b: string) {
  const ends = commonEnds(a, b);
  let out = a.slice(0, ends.start);
  let kept = ends.start;
  let deleted = 0;
  lcsScript(a, b, ends, {
    same: (i, j) => {
      expect(a[i]).toBe(b[j]);
      out += b[j];
      kept++;
    },
    del: () => deleted++,
    ins: (j) => (out += b[j]),
  });
  out += b.slice(ends.endB);
  kept += a.length - ends.endA;
  return { out, kept, deleted };
}

function lcsLength(a: string, b: string): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

describe("sequence diff", () => {
  it("trims the shared ends without letting prefix and suffix overlap", () => {
    expect(commonEnds("abcab", "ab")).toEqual({ start: 2, endA: 5, endB: 2 });
    expect(commonEnds("aaa", "aaaa")).toEqual({ start: 3, endA: 3, endB: 4 });
    expect(commonEnds(["x", "y"], ["x", "z", "y"])).toEqual({ start: 1, endA: 1, endB: 2 });
  });

  it("walks a longest common subsequence that turns one string into the other", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const word = () => Array.from({ length: rand(12) }, () => "abc"[rand(3)]).join("");
      const a = word();
      const b = word();
      const { out, kept, deleted } = run(a, b);
      expect(out).toBe(b);
      expect(kept).toBe(lcsLength(a, b));
      expect(kept + deleted).toBe(a.length);
    }
  });
});
