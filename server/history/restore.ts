import * as Y from "yjs";

/**
 * Turns `target`'s children into copies of `source`'s, block by block: blocks equal in both stay
 * untouched (so someone typing in them while the restore lands keeps every keystroke); the others
 * are deleted and the old ones inserted as copies. Runs inside the caller's transaction. Returns
 * the number of blocks deleted and inserted.
 */
export function replaceBlocks(target: Y.XmlFragment, source: Y.XmlFragment): { deleted: number; inserted: number } {
  const current = target.toArray();
  const wanted = source.toArray();
  const key = (n: Y.XmlElement | Y.XmlText | Y.XmlHook) => n.toString();
  const a = current.map(key);
  const b = wanted.map(key);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // Longest common subsequence of the middle, so an unchanged block between changed ones is kept.
  const n = endA - start;
  const m = endB - start;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        a[start + i] === b[start + j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  let index = start;
  let i = 0;
  let j = 0;
  let deleted = 0;
  let inserted = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      index++;
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      target.delete(index, 1);
      deleted++;
      i++;
    } else {
      target.insert(index, [wanted[start + j].clone() as Y.XmlElement | Y.XmlText]);
      inserted++;
      index++;
      j++;
    }
  }
  return { deleted, inserted };
}
