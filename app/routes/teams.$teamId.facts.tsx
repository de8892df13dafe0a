import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { COUNTRIES } from "../../extensions/country-fact/countries";
import { sourceHref } from "../../extensions/shared/attrs";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { requireUser } from "../utils/auth.server";
import { addLibraryFact, editLibraryFact, getTeamLibraryFact, readFilters, teamLibrary, type LibraryFactDTO } from "../utils/blocks.server";
import { badRequest, notFound } from "../utils/errors";
import { LibraryFactSchema } from "../utils/fact-validation";
import { parseForm, type FieldErrors } from "../utils/form";
import { requireTeamRole, roleAtLeast } from "../utils/permissions.server";
import { CountryFilterControls } from "../components/filter-controls";

export const meta: MetaFunction = () => [{ title: "Country facts · Summit Desk" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team, role } = await requireTeamRole(context, params.teamId, user);
  const url = new URL(request.url);
  const filters = readFilters(url, ["q", "country"]);
  const editId = url.searchParams.get("edit");
  const canEdit = roleAtLeast(role, "editor");
  const editing = canEdit && editId ? await getTeamLibraryFact(context, team.id, editId) : undefined;
  if (canEdit && editId && !editing) throw notFound("Fact");
  return json({ teamId: team.id, canEdit, filters, editing: editing ?? null, saved: url.searchParams.get("saved"), ...(await teamLibrary(context, team.id, filters)) });
}

type ActionData = { intent: "create" | "update"; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  // Reading the library is for every member; changing it is for editors and owners.
  const { team } = await requireTeamRole(context, params.teamId, user, "editor");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent !== "create" && intent !== "update") throw badRequest("Unknown action.");
  const parsed = parseForm(LibraryFactSchema, form);
  if (parsed.errors) {
    const values = Object.fromEntries(["country", "label", "value", "unit", "asOf", "source", "factId"].map((k) => [k, String(form.get(k) ?? "").slice(0, 2000)]));
    return json<ActionData>({ intent, errors: parsed.errors, values }, { status: 400 });
  }
  let fact: LibraryFactDTO | undefined;
  if (intent === "create") {
    fact = await addLibraryFact(context, team.id, parsed.data, user.id);
  } else {
    fact = await editLibraryFact(context, team.id, String(form.get("factId") ?? ""), parsed.data, user.id);
    if (!fact) throw notFound("Fact");
  }
  return redirect(`/teams/${team.id}/facts?saved=${encodeURIComponent(fact.id)}#fact-${fact.id}`);
}

const FIELDS = [
  { name: "label", label: "Label", hint: "What the fact is, e.g. “Foreign minister”." },
  { name: "value", label: "Value" },
  { name: "unit", label: "Unit", hint: "Optional, e.g. “million”, “%”." },
  { name: "asOf", label: "As of", type: "date" },
  { name: "source", label: "Source", hint: "A URL or a citation." },
] as const;

function FactForm({ intent, fact, errors, values }: { intent: "create" | "update"; fact?: LibraryFactDTO | null; errors?: FieldErrors; values?: Record<string, string> }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const initial = (name: string) => values?.[name] ?? (fact ? String(fact[name as keyof LibraryFactDTO] ?? "") : "");
  return (
    <Form method="post" className="form-grid" aria-label={intent === "create" ? "Add a fact" : "Edit fact"}>
      <input type="hidden" name="intent" value={intent} />
      {fact ? <input type="hidden" name="factId" value={fact.id} /> : null}
      <Field
        label="Country"
        name="country"
        list="fact-countries"
        defaultValue={initial("country")}
        errors={errors?.country}
        hint="Two-letter ISO code, e.g. KZ, TR."
        maxLength={2}
        required
        autoComplete="off"
      />
      {FIELDS.map((f) => (
        <Field
          key={f.name}
          label={f.label}
          name={f.name}
          type={"type" in f ? f.type : "text"}
          defaultValue={initial(f.name)}
          errors={errors?.[f.name]}
          hint={"hint" in f ? f.hint : undefined}
          required={f.name !== "unit"}
        />
      ))}
      <div className="row-actions">
        <button type="submit" className="button" disabled={busy}>
          {intent === "create" ? "Add fact" : "Save fact"}
        </button>
        {intent === "update" ? <Link to=".">Cancel</Link> : null}
      </div>
    </Form>
  );
}

export default function FactsLibrary() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { facts, countries, filters, canEdit, editing, saved, staleMonths } = data;
  const filtered = Boolean(filters.q || filters.country);
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">Country facts</h2>
      <p className="muted">
        Reusable facts for briefings. A fact older than {staleMonths} months is marked stale; check it before you use it.
      </p>
      <datalist id="fact-countries">
        {COUNTRIES.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </datalist>
      <Form method="get" className="list-toolbar filter-form" role="search" aria-label="Filter facts">
        <label>
          <span className="sr-only">Search facts</span>
          <input type="search" name="q" defaultValue={filters.q} placeholder="Search label, value or source" />
        </label>
        <CountryFilterControls countries={countries} selected={filters.country} filtered={filtered} />
      </Form>

      {facts.length === 0 ? (
        <p className="empty">{filtered ? "No facts match." : "The library is empty."}</p>
      ) : (
        <table className="list facts-table">
          <thead>
            <tr>
              <th>Country</th>
              <th>Fact</th>
              <th>As of</th>
              <th>Source</th>
              {canEdit ? (
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {facts.map((f) => {
              const href = sourceHref(f.source);
              return (
                <tr key={f.id} id={`fact-${f.id}`} aria-current={saved === f.id ? "true" : undefined}>
                  <td>
                    <span className="country-code">{f.country}</span> {f.countryName}
                  </td>
                  <td>
                    <strong>{f.label}</strong>
                    <div>{[f.value, f.unit].filter(Boolean).join(" ")}</div>
                  </td>
                  <td>
                    <time dateTime={f.asOf}>{f.asOf}</time>{" "}
                    {f.stale ? (
                      <span className="status-badge stale-badge" title={`Older than ${staleMonths} months`}>
                        stale
                      </span>
                    ) : null}
                  </td>
                  <td className="fact-source">
                    {href ? (
                      <a href={href} rel="noreferrer noopener" target="_blank">
                        {f.source}
                      </a>
                    ) : (
                      f.source
                    )}
                  </td>
                  {canEdit ? (
                    <td>
                      <Link to={`?edit=${encodeURIComponent(f.id)}#edit-fact`} className="button small">
                        Edit<span className="sr-only"> {f.label}</span>
                      </Link>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      {canEdit && editing ? (
        <section id="edit-fact" className="card" aria-labelledby="edit-fact-heading">
          <h3 id="edit-fact-heading">Edit fact</h3>
          <FactForm
            key={editing.id}
            intent="update"
            fact={editing}
            errors={actionData?.intent === "update" ? actionData.errors : undefined}
            values={actionData?.intent === "update" ? actionData.values : undefined}
          />
        </section>
      ) : null}
      {canEdit ? (
        <section className="card" aria-labelledby="add-fact-heading">
          <h3 id="add-fact-heading">Add a fact</h3>
          <FactForm
            intent="create"
            errors={actionData?.intent === "create" ? actionData.errors : undefined}
            values={actionData?.intent === "create" ? actionData.values : undefined}
          />
        </section>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
