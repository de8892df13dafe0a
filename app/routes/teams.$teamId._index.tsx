import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CLASSIFICATIONS, STATUS_LABELS, type Role } from "../../db/enums";
import type { Db } from "../../db/client";
import { Field, Select } from "../components/field";
import { recordAudit } from "../utils/audit.server";
import { requireUser } from "../utils/auth.server";
import { BriefingDetailsSchema, RenameSchema } from "../utils/briefing-validation";
import { createBriefingWithTemplate } from "../utils/briefings.server";
import { deleteBriefing, listBriefings, listRecentlyEditedBy, setBriefingArchived, updateBriefingDetails, type BriefingSort } from "../utils/db.server";
import { publishCommentEvent } from "../utils/comment-events.server";
import { badRequest } from "../utils/errors";
import { parseForm } from "../utils/form";
import { requireBriefingRole, requireTeamRole } from "../utils/permissions.server";
import { roleAtLeast } from "../utils/roles";

const SORTS: { value: BriefingSort; label: string }[] = [
  { value: "last_edited", label: "Last edited" },
  { value: "title", label: "Title" },
  { value: "created", label: "Newest" },
];

/** Enough to pick up where one left off, few enough to read at a glance. */
const RECENT_SHOWN = 5;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team, role } = requireTeamRole(context, params.teamId, user);
  const url = new URL(request.url);
  const sortParam = url.searchParams.get("sort");
  const sort = (SORTS.find((s) => s.value === sortParam)?.value ?? "last_edited") as BriefingSort;
  const archived = url.searchParams.get("archived") === "1";
  return json({
    team: { id: team.id, name: team.name },
    role,
    sort,
    archived,
    briefings: listBriefings(context.db, team.id, { sort, archived }),
    recent: archived ? [] : listRecentlyEditedBy(context.db, team.id, user.id, RECENT_SHOWN),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "create") {
    const { team } = requireTeamRole(context, params.teamId, user, "editor");
    const parsed = parseForm(BriefingDetailsSchema, form);
    if (parsed.errors) return json({ intent, errors: parsed.errors }, { status: 400 });
    const briefing = await createBriefingWithTemplate(context, team.id, parsed.data, user);
    // Listeners index the new title for search.
    await context.events.publish("briefingChanged", { briefingId: briefing.id });
    return redirect(`/briefings/${briefing.id}`);
  }

  // Every other intent acts on one briefing, which must belong to this team.
  const briefingId = String(form.get("briefingId") ?? "");
  const min: Role = intent === "delete" ? "owner" : "editor";
  const { briefing } = requireBriefingRole(context, briefingId, user, min);
  if (briefing.teamId !== params.teamId) throw badRequest("That briefing belongs to another team.");

  switch (intent) {
    case "rename": {
      const parsed = parseForm(RenameSchema, form);
      if (parsed.errors) return json({ intent, briefingId, errors: parsed.errors }, { status: 400 });
      if (!updateBriefingDetails(context.db, briefing.id, { title: parsed.data.title }, user.id)) {
        const errors = { title: ["A final briefing cannot be renamed: reopen it first."] };
        return json({ intent, briefingId, errors }, { status: 409 });
      }
      await context.events.publish("briefingChanged", { briefingId: briefing.id });
      return json({ intent, briefingId, ok: true });
    }
    case "archive":
    case "unarchive":
      context.db.transaction((tx) => {
        const db = tx as unknown as Db;
        setBriefingArchived(db, briefing.id, intent === "archive");
        recordAudit(context, user, { action: intent === "archive" ? "briefing.archive" : "briefing.unarchive", teamId: briefing.teamId, briefingId: briefing.id, target: briefing.title }, db);
      });
      await context.events.publish("briefingChanged", { briefingId: briefing.id });
      return json({ intent, briefingId, ok: true });
    case "delete":
      context.db.transaction((tx) => {
        const db = tx as unknown as Db;
        deleteBriefing(db, briefing.id);
        // The row keeps the title and status: the briefing itself is gone.
        recordAudit(context, user, {
          action: "briefing.delete",
          teamId: briefing.teamId,
          briefingId: briefing.id,
          target: briefing.title,
          details: { status: briefing.status, classification: briefing.classification },
        }, db);
      });
      // Before the streams are closed, so open pages can say who deleted it.
      publishCommentEvent(context, briefing.id, { type: "deleted", byName: user.name });
      await context.events.publish("briefingDeleted", { briefingId: briefing.id });
      return json({ intent, briefingId, ok: true });
    default:
      throw badRequest("Unknown action.");
  }
}

function formatWhen(ms: number | string): string {
  return new Date(ms).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC";
}

export default function TeamBriefings() {
  const { team, role, sort, archived, briefings, recent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { intent?: string; briefingId?: string; errors?: Record<string, string[]> } | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const canEdit = roleAtLeast(role, "editor");
  const createErrors = actionData?.intent === "create" ? actionData.errors : undefined;
  const withParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    return `?${next.toString()}`;
  };

  return (
    <>
      {recent.length ? (
        <section className="card recent-briefings" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recently edited by you</h2>
          <ul>
            {recent.map((b) => (
              <li key={b.id}>
                <Link to={`/briefings/${b.id}`}>{b.title}</Link> <span className={`status-badge status-${b.status}`}>{STATUS_LABELS[b.status]}</span>{" "}
                <span className="muted">{formatWhen(b.lastEditedAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="list-toolbar">
        <div className="segmented" role="group" aria-label="Show">
          <Link to={withParam("archived", null)} aria-current={!archived ? "page" : undefined}>
            Active
          </Link>
          <Link to={withParam("archived", "1")} aria-current={archived ? "page" : undefined}>
            Archived
          </Link>
        </div>
        <Form method="get" className="sort-form">
          {archived ? <input type="hidden" name="archived" value="1" /> : null}
          <label>
            Sort by{" "}
            <select name="sort" defaultValue={sort} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <noscript>
            <button type="submit" className="button small">
              Sort
            </button>
          </noscript>
        </Form>
      </div>

      {briefings.length ? (
        <table className="list briefings-table">
          <thead>
            <tr>
              <th>Briefing</th>
              <th>Summit</th>
              <th>Status</th>
              <th>Last edited</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {briefings.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link className="briefing-title" to={`/briefings/${b.id}`}>
                    {b.title}
                  </Link>
                  <div>
                    <span className="classification">{b.classification}</span>
                    {b.openThreads > 0 ? (
                      <span className="muted thread-count">
                        {" "}
                        · {b.openThreads} open thread{b.openThreads === 1 ? "" : "s"}
                      </span>
                    ) : null}
                  </div>
                </td>
                <td>
                  {b.summitName}
                  <div className="muted">
                    {b.city} · {b.startDate}
                    {b.endDate !== b.startDate ? ` – ${b.endDate}` : ""}
                  </div>
                </td>
                <td>
                  <span className={`status-badge status-${b.status}`}>{STATUS_LABELS[b.status]}</span>
                </td>
                <td>
                  {formatWhen(b.lastEditedAt)}
                  <div className="muted">{b.lastEditedByName ? `by ${b.lastEditedByName}` : ""}</div>
                </td>
                <td>
                  {canEdit ? (
                    <div className="row-actions">
                      {b.status === "final" ? null : (
                      <details className="inline-edit">
                        <summary>Rename</summary>
                        <Form method="post" className="rename-form">
                          <input type="hidden" name="intent" value="rename" />
                          <input type="hidden" name="briefingId" value={b.id} />
                          <input name="title" defaultValue={b.title} aria-label="New title" maxLength={200} required />
                          <button type="submit" className="button small">
                            Save
                          </button>
                          {actionData?.intent === "rename" && actionData.briefingId === b.id && actionData.errors?.title ? (
                            <p className="field-error">{actionData.errors.title.join(" ")}</p>
                          ) : null}
                        </Form>
                      </details>
                      )}
                      <Form method="post">
                        <input type="hidden" name="intent" value={archived ? "unarchive" : "archive"} />
                        <input type="hidden" name="briefingId" value={b.id} />
                        <button type="submit" className="button small">
                          {archived ? "Unarchive" : "Archive"}
                        </button>
                      </Form>
                      {role === "owner" ? (
                        <Form
                          method="post"
                          onSubmit={(e) => {
                            if (!confirm(`Delete “${b.title}” for everyone? This cannot be undone.`)) e.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="briefingId" value={b.id} />
                          <button type="submit" className="button small danger">
                            Delete
                          </button>
                        </Form>
                      ) : null}
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="card empty">{archived ? "No archived briefings." : "No briefings yet."}</p>
      )}

      {canEdit && !archived ? (
        <section className="card new-briefing" aria-labelledby="new-briefing-heading">
          <h2 id="new-briefing-heading">New briefing</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="create" />
            <div className="form-grid">
              <Field label="Title" name="title" required maxLength={200} errors={createErrors?.title} placeholder="e.g. Bilateral talks, Astana" />
              <Field label="Summit" name="summitName" required maxLength={200} errors={createErrors?.summitName} />
              <Field label="City" name="city" required maxLength={100} errors={createErrors?.city} />
              <Field label="Starts" name="startDate" type="date" required errors={createErrors?.startDate} />
              <Field label="Ends" name="endDate" type="date" required errors={createErrors?.endDate} />
              <Select label="Classification" name="classification" options={CLASSIFICATIONS} defaultValue="RESTRICTED" errors={createErrors?.classification} />
            </div>
            <button type="submit" className="button primary" disabled={busy}>
              Create briefing
            </button>
          </Form>
        </section>
      ) : null}
      <p className="muted sr-only">{team.name}</p>
    </>
  );
}
