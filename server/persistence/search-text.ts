/**
 * FTS5's unicode61 tokenizer folds diacritics (ş → s) but not Turkish dotless ı or dotted İ, so
 * "Yildiz" would not find "Yıldız". Words with those letters are indexed a second time, folded, after
 * the text (where a snippet rarely reaches).
 */
export function withTurkishFolds(text: string): string {
  const words = new Set(text.match(/[\p{L}\p{N}]*[ıİ][\p{L}\p{N}]*/gu) ?? []);
  if (words.size === 0) return text;
  return `${text}\n${[...words].map((w) => w.replace(/ı/g, "i").replace(/İ/g, "I")).join(" ")}`;
}
