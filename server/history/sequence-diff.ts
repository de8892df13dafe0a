/**
 * The two steps every sequence diff in history takes: trim what both ends share (part of every
 * longest common subsequence), then walk a longest common subsequence of the middles. Strings
 * are compared by UTF-16 unit, arrays by `===`.
 */

export interface CommonEnds {
  /** `a[0, start)` equals `b[0, start)`. */
  start: number;
  /** `a[endA, a.length)` equals `b[endB, b.length)`, and neither overlaps the prefix. */
  endA: number;
  endB: number;
}

export function commonEnds<T>(a: ArrayLike<T>, b: ArrayLike<T>): CommonEnds {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { start, endA, endB };
}

export interface ScriptSteps {
  /** `a[i]` equals `b[j]` and is kept. */
  same(i: number, j: number): void;
  /** `a[i]` is not in `b`. */
  del(i: number): void;
  /** `b[j]` is not in `a`. */
  ins(j: number): void;
}

/**
 * Calls `steps` in order for the edit script of `a[start, endA)` to `b[start, endB)` along a longest
 * common subsequence, deletions before insertions where both are possible. Takes
 * (n + 1)·(m + 1) cells of memory for middles of n and m elements: callers bound n·m first.
 */
export function lcsScript<T>(a: ArrayLike<T>, b: ArrayLike<T>, { start, endA, endB }: CommonEnds, steps: ScriptSteps): void {
  const n = endA - start;
  const m = endB - start;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      steps.same(start + i, start + j);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      steps.del(start + i);
      i++;
    } else {
      steps.ins(start + j);
      j++;
    }
  }
}
