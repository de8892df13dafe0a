import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { STATUS_LABELS, type Role } from "../../db/enums";
import { withTransaction } from "../utils/db.server";
import { recordAudit } from "../utils/audit.server";
import { NewBriefingForm } from "../components/new-briefing-form";
import { briefingLevel, teamLevels } from "../utils/classification.server";
import { requireUser } from "../utils/auth.server";
import { RenameSchema } from "../utils/briefing-validation";
import { duplicateBriefing, requireTeamBriefing } from "../utils/briefings.server";
import {
  deleteBriefing,
  listBriefings,
  listRecentlyEditedBy,
  listTemplates,
  setBriefingArchived,
  setBriefingTemplate,
  updateBriefingDetails,
  type BriefingSort,
} from "../utils/db.server";
import { createNewBriefing } from "../utils/new-briefing.server";
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
  const { team, role } = await requireTeamRole(context, params.teamId, user);
  const levels = teamLevels(team);
  const url = new URL(request.url);
  const sortParam = url.searchParams.get("sort");
  const sort = (SORTS.find((s) => s.value === sortParam)?.value ?? "last_edited") as BriefingSort;
  const archived = url.searchParams.get("archived") === "1";
  return json({
    team: { id: team.id, name: team.name },
    role,
    sort,
    archived,
    // Each brief's level as the server computes it: its minimum or its highest portion mark (ADR 0406).
    briefings: (await listBriefings(context.store, team.id, { sort, archived })).map(({ portionMarks, ...b }) => ({
      ...b,
      classification: briefingLevel(levels, { classification: b.classification, portionMarks }),
    })),
    recent: archived ? [] : await listRecentlyEditedBy(context.store, team.id, user.id, RECENT_SHOWN),
    templates: await listTemplates(context.store, team.id),
    levelNames: levels.map((l) => l.name),
    maxImportMb: Math.floor(context.config.IMPORT_MAX_BYTES / (1024 * 1024)),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "create") {
    const { team } = await requireTeamRole(context, params.teamId, user, "editor");
    const result = await createNewBriefing(context, team.id, user, form);
    if ("errors" in result) return json({ intent, errors: result.errors }, { status: result.status });
    return redirect(`/briefings/${result.briefing.id}`);
  }

  if (intent === "duplicate" || intent === "template" || intent === "untemplate") {
    // 404, not 403, for a non-member: copying must not confirm that a briefing exists.
    const source = await requireTeamBriefing(context, params.teamId, form.get("briefingId"), user, "editor");
    if (intent === "duplicate") {
      const copy = await duplicateBriefing(context, source, user);
      await context.events.publish("briefingChanged", { briefingId: copy.id });
      return redirect(`/briefings/${copy.id}`);
    }
    await setBriefingTemplate(context.store, source.id, intent === "template");
    return json({ intent, briefingId: source.id, ok: true });
  }

  // Every other intent acts on one briefing, which must belong to this team.
  const briefingId = String(form.get("briefingId") ?? "");
  const min: Role = intent === "delete" ? "owner" : "editor";
  const { briefing } = await requireBriefingRole(context, briefingId, user, min);
  if (briefing.teamId !== params.teamId) throw badRequest("That briefing belongs to another team.");

  switch (intent) {
    case "rename": {
      const parsed = parseForm(RenameSchema, form);
      if (parsed.errors) return json({ intent, briefingId, errors: parsed.errors }, { status: 400 });
      if (!(await updateBriefingDetails(context.store, briefing.id, { title: parsed.data.title }, user.id))) {
        const errors = { title: ["A final briefing cannot be renamed: reopen it first."] };
        return json({ intent, briefingId, errors }, { status: 409 });
      }
      await context.events.publish("briefingChanged", { briefingId: briefing.id });
      return json({ intent, briefingId, ok: true });
    }
    case "archive":
    case "unarchive":
      await withTransaction(context.store, async (tx) => {
        await setBriefingArchived(tx, briefing.id, intent === "archive");
        await recordAudit(context, user, { action: intent === "archive" ? "briefing.archive" : "briefing.unarchive", teamId: briefing.teamId, briefingId: briefing.id, target: briefing.title }, tx);
      });
      await context.events.publish("briefingChanged", { briefingId: briefing.id });
      return json({ intent, briefingId, ok: true });
    case "delete":
      await withTransaction(context.store, async (tx) => {
        await deleteBriefing(tx, briefing.id);
        // The row keeps the title and status: the briefing itself is gone.
        await recordAudit(context, user, {
          action: "briefing.delete",
          teamId: briefing.teamId,
          briefingId: briefing.id,
          target: briefing.title,
          details: { status: briefing.status, classification: briefing.classification },
        }, tx);
      });
      // Before the streams are closed, so open pages can say who deleted it.
      publishCommentEvent(context, briefing.id, { type: "deleted", byName: user.name });
      await context.events.publish("briefingDeleted", { briefingId: briefing.id });
      return json({ intent, briefingId, ok: true });
    default:
      throw badRequest("Unknown action.");
  }
}

/** Built once: `toLocaleString` with options builds a formatter per call (app/utils/time-format.ts). */
const AUDIT_TIME = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

function formatWhen(ms: number | string): string {
  return AUDIT_TIME.format(new Date(ms)) + " UTC";
}

export default function TeamBriefings() {
  const { team, role, sort, archived, briefings, recent, templates, maxImportMb, levelNames } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { intent?: string; briefingId?: string; errors?: Record<string, string[]> } | undefined;
  const [params] = useSearchParams();
  const canEdit = roleAtLeast(role, "editor");
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
                    {b.isTemplate ? <span className="template-badge"> · Template</span> : null}
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
                        <input type="hidden" name="intent" value="duplicate" />
                        <input type="hidden" name="briefingId" value={b.id} />
                        <button type="submit" className="button small">
                          Duplicate
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value={b.isTemplate ? "untemplate" : "template"} />
                        <input type="hidden" name="briefingId" value={b.id} />
                        <button type="submit" className="button small" aria-pressed={b.isTemplate}>
                          {b.isTemplate ? "Template ✓" : "Use as template"}
                        </button>
                      </Form>
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
          <NewBriefingForm teamId={team.id} templates={templates} maxImportMb={maxImportMb} levels={levelNames} />
        </section>
      ) : null}
      <p className="muted sr-only">{team.name}</p>
    </>
  );
}
