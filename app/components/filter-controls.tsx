import { Link } from "@remix-run/react";

/** The country select, Filter button and Clear link shared by the team's filter bars. */
export function CountryFilterControls({
  countries,
  selected,
  filtered,
}: {
  countries: readonly { code: string; name: string }[];
  selected: string;
  filtered: boolean;
}) {
  return (
    <>
      <label>
        <span className="sr-only">Country</span>
        <select name="country" defaultValue={selected}>
          <option value="">All countries</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button small">
        Filter
      </button>
      {filtered ? <Link to=".">Clear</Link> : null}
    </>
  );
}
