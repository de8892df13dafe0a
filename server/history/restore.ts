import * as Y from "yjs";
import { commonEnds, lcsScript } from "./sequence-diff";

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
  // Longest common subsequence of the middle, so an unchanged block between changed ones is kept.
  const ends = commonEnds(a, b);
  let index = ends.start;
  let deleted = 0;
  let inserted = 0;
  lcsScript(a, b, ends, {
    same: () => index++,
    del: () => {
      target.delete(index, 1);
      deleted++;
    },
    ins: (j) => {
      target.insert(index, [wanted[j].clone() as Y.XmlElement | Y.XmlText]);
      inserted++;
      index++;
    },
  });
  return { deleted, inserted };
}
