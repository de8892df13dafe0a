import { sanitizeCountryCode } from "../shared/attrs";

export type CountryInfo = {
  /** ISO 3166-1 alpha-2. */
  code: string;
  /** English short name as the desk writes it. */
  name: string;
  /** The country's own name for itself, for display beside the English one. */
  nativeName: string;
};

/**
 * The countries the desk works with. Anything else falls back to its code (and still gets a flag),
 * so a fact about another country is never refused, only shown less prettily.
 */
export const COUNTRIES: readonly CountryInfo[] = [
  { code: "KZ", name: "Kazakhstan", nativeName: "Қазақстан" },
  { code: "TR", name: "Türkiye", nativeName: "Türkiye" },
  { code: "AZ", name: "Azerbaijan", nativeName: "Azərbaycan" },
  { code: "KG", name: "Kyrgyzstan", nativeName: "Кыргызстан" },
  { code: "UZ", name: "Uzbekistan", nativeName: "Oʻzbekiston" },
  { code: "HU", name: "Hungary", nativeName: "Magyarország" },
  { code: "TM", name: "Turkmenistan", nativeName: "Türkmenistan" },
  { code: "AF", name: "Afghanistan", nativeName: "افغانستان" },
  { code: "RU", name: "Russia", nativeName: "Россия" },
  { code: "CN", name: "China", nativeName: "中国" },
];

const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/** English name for an ISO code ("KZ" → "Kazakhstan"); an unknown valid code is returned as is; "" → "". */
export function countryName(code: string): string {
  const normalized = sanitizeCountryCode(code);
  if (!normalized) return "";
  return BY_CODE.get(normalized)?.name ?? normalized;
}

/** The flag emoji for a valid ISO code (regional indicator letters), "" otherwise. */
export function countryFlag(code: string): string {
  const normalized = sanitizeCountryCode(code);
  if (!normalized) return "";
  return String.fromCodePoint(...[...normalized].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
