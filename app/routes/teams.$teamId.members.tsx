import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "../../db/enums";
import { withTransaction, type Store } from "../utils/db.server";
import { recordAudit } from "../utils/audit.server";
import { requireUser } from "../utils/auth.server";
import {
  createInvitation,
  getInvitation,
  getMembership,
  getUserById,
  isValidId,
  LastOwnerError,
  listMembers,
  listOpenInvitations,
  removeMember,
  revokeInvitation,
  setMemberRole,
  setTeamExportPolicy,
} from "../utils/db.server";
import { badRequest, notFound } from "../utils/errors";
import { parseForm, type FieldErrors } from "../utils/form";
import { DEFAULT_INVITATION_EXPIRY, INVITATION_EXPIRY_CHOICES, INVITATION_MAX_USES, InvitationForm } from "../utils/invitation-validation";
import { EXPORT_POLICIES, EXPORT_POLICY_LABELS, type ExportPolicy } from "../utils/export-policy";
import { requireTeamRole } from "../utils/permissions.server";
import { parseLevelsForm, saveTeamLevels, teamLevels } from "../utils/classification.server";
import { ClassificationLevelsForm } from "../components/classification-levels-form";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { team, role } = await requireTeamRole(context, params.teamId, user);
  // The address people are sent: PUBLIC_URL when set, never a Host header a client chose.
  const origin = context.config.publicOrigin ?? new URL(request.url).origin;
  return json({
    me: user.id,
    teamId: team.id,
    role,
    exportPolicy: team.exportPolicy,
    levels: teamLevels(team),
    members: await listMembers(context.store, team.id),
    invitations:
      role === "owner"
        ? (await listOpenInvitations(context.store, team.id)).map((i) => ({
            id: i.id,
            role: i.role,
            expiresAt: i.expiresAt.getTime(),
            maxUses: i.maxUses,
            usesLeft: Math.max(0, i.maxUses - i.useCount),
            acceptedBy: i.uses.map((u) => ({ name: u.name, role: u.role, usedAt: u.usedAt.getTime() })),
            url: `${origin}/invite/${i.id}`,
          }))
        : [],
  });
}

const RoleSchema = z.object({ role: z.enum(ROLES, { errorMap: () => ({ message: "Choose a role." }) }) });
const MemberSchema = z.object({ userId: z.string().refine(isValidId, "Unknown member.") });
const ExportPolicySchema = z.object({
  exportPolicy: z.enum(EXPORT_POLICIES, { errorMap: () => ({ message: "Choose who may export: everyone, editors or owners." }) }),
});

/** The member an event is about, copied into the row so it still reads once they are gone. */
async function memberTarget(store: Store, userId: string) {
  const member = await getUserById(store, userId);
  return { target: userId, details: { email: member?.email ?? null, name: member?.name ?? null } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  // Every change to membership is for owners only.
  const { team } = await requireTeamRole(context, params.teamId, user, "owner");

  try {
    switch (intent) {
      case "invite": {
        const parsed = parseForm(InvitationForm, form);
        if (parsed.errors) {
          return json({ error: "The invitation was not created: check the fields below.", fieldErrors: parsed.errors }, { status: 400 });
        }
        const { role, maxUses, expiresIn } = parsed.data;
        const invitation = await withTransaction(context.store, async (tx) => {
          const created = await createInvitation(tx, { teamId: team.id, role, createdBy: user.id, maxUses, ttlMs: expiresIn });
          await recordAudit(context, user, {
            action: "invitation.create",
            teamId: team.id,
            target: created.id,
            details: { role, maxUses: created.maxUses, expiresAt: created.expiresAt.toISOString() },
          }, tx);
          return created;
        });
        context.logger.info("teams", "invitation created", { teamId: team.id, userId: user.id, invitationId: invitation.id, role, maxUses: invitation.maxUses });
        return json({ ok: true });
      }
      case "revoke": {
        const id = String(form.get("invitationId") ?? "");
        if (!isValidId(id)) throw badRequest("Unknown invitation.");
        const revoked = await withTransaction(context.store, async (tx) => {
          const before = (await getInvitation(tx, id))?.invitation;
          if (!(await revokeInvitation(tx, team.id, id, user.id))) return false;
          // Revoking an already revoked link changes nothing, so it records nothing.
          if (!before?.revokedAt) await recordAudit(context, user, { action: "invitation.revoke", teamId: team.id, target: id, details: { role: before?.role ?? null } }, tx);
          return true;
        });
        if (!revoked) throw notFound("Invitation");
        context.logger.info("teams", "invitation revoked", { teamId: team.id, userId: user.id, invitationId: id });
        return json({ ok: true });
      }
      case "role": {
        const parsed = parseForm(RoleSchema.merge(MemberSchema), form);
        if (parsed.errors) return json({ error: Object.values(parsed.errors).flat().join(" ") }, { status: 400 });
        const { userId, role } = parsed.data;
        const changed = await withTransaction(context.store, async (tx) => {
          const before = await getMembership(tx, team.id, userId);
          if (!before) throw badRequest("That person is not a member of this team.");
          await setMemberRole(tx, team.id, userId, role);
          if (before.role === role) return false;
          const { target, details } = await memberTarget(tx, userId);
          await recordAudit(context, user, { action: "membership.role_change", teamId: team.id, target, details: { ...details, from: before.role, to: role } }, tx);
          return true;
        });
        if (!changed) return json({ ok: true });
        await context.events.publish("membershipChanged", { teamId: team.id, userId: parsed.data.userId, role: parsed.data.role });
        return json({ ok: true });
      }
      case "remove": {
        const parsed = parseForm(MemberSchema, form);
        if (parsed.errors) return json({ error: "Unknown member." }, { status: 400 });
        const { userId } = parsed.data;
        await withTransaction(context.store, async (tx) => {
          const before = await getMembership(tx, team.id, userId);
          await removeMember(tx, team.id, userId);
          if (!before) return;
          const { target, details } = await memberTarget(tx, userId);
          await recordAudit(context, user, { action: "membership.remove", teamId: team.id, target, details: { ...details, role: before.role } }, tx);
        });
        await context.events.publish("membershipChanged", { teamId: team.id, userId: parsed.data.userId, role: null });
        return json({ ok: true });
      }
      case "export-policy": {
        const parsed = parseForm(ExportPolicySchema, form);
        if (parsed.errors) return json({ error: Object.values(parsed.errors).flat().join(" ") }, { status: 400 });
        const to = parsed.data.exportPolicy;
        if (to !== team.exportPolicy) {
          await withTransaction(context.store, async (tx) => {
            await setTeamExportPolicy(tx, team.id, to);
            await recordAudit(context, user, { action: "team.settings_change", teamId: team.id, details: { setting: "export_policy", from: team.exportPolicy, to } }, tx);
          });
        }
        return json({ ok: true });
      }
      case "classification-levels": {
        let levels;
        try {
          levels = parseLevelsForm(form.get("levels"));
        } catch (err) {
          // The message says which line is wrong; show it above the form.
          if (err instanceof Response) return json({ error: await err.text() }, { status: err.status });
          throw err;
        }
        await saveTeamLevels(context, team, user, levels);
        return json({ ok: true });
      }
      default:
        throw badRequest("Unknown action.");
    }
  } catch (err) {
    if (err instanceof LastOwnerError) return json({ error: err.message }, { status: 409 });
    throw err;
  }
}

export default function Members() {
  const { me, teamId, role, exportPolicy, levels, members, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { error?: string; fieldErrors?: FieldErrors } | undefined;
  const inviteErrors = actionData?.fieldErrors ?? {};
  const isOwner = role === "owner";
  return (
    <div className="grid-members">
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      <table className="list">
        <thead>
          <tr>
            <th>Member</th>
            <th>Role</th>
            {isOwner ? (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>
                <span className="dot" style={{ background: m.color }} aria-hidden /> <strong>{m.name}</strong>
                {m.userId === me ? <span className="muted"> (you)</span> : null}
                <div className="muted">{m.email}</div>
              </td>
              <td>
                {isOwner ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="userId" value={m.userId} />
                    <select name="role" defaultValue={m.role} aria-label={`Role of ${m.name}`}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button small">
                      Change
                    </button>
                  </Form>
                ) : (
                  <span className={`role-badge role-${m.role}`}>{m.role}</span>
                )}
              </td>
              {isOwner ? (
                <td>
                  <div className="row-actions">
                    <Form
                      method="post"
                      onSubmit={(e) => {
                        if (!confirm(`Remove ${m.name} from the team? Their open editors close at once.`)) e.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="button small danger">
                        Remove
                      </button>
                    </Form>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>

      {isOwner ? (
        <section className="card" style={{ marginTop: "1.5rem" }} aria-labelledby="settings-heading">
          <h2 id="settings-heading" style={{ marginTop: 0 }}>
            Team settings
          </h2>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="export-policy" />
            <label>
              Who may export briefings (PDF, Word, Markdown){" "}
              <select name="exportPolicy" defaultValue={exportPolicy} key={exportPolicy}>
                {EXPORT_POLICIES.map((p: ExportPolicy) => (
                  <option key={p} value={p}>
                    {EXPORT_POLICY_LABELS[p]}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button small">
              Save
            </button>
          </Form>
          <p className="muted">
            Sign-ins, membership and invitation changes, exports and status changes are recorded:{" "}
            <Link to={`/teams/${teamId}/audit`}>Audit trail</Link>
          </p>
          <ClassificationLevelsForm levels={levels} />
        </section>
      ) : null}

      {isOwner ? (
        <section className="card" style={{ marginTop: "1.5rem" }} aria-labelledby="invite-heading">
          <h2 id="invite-heading" style={{ marginTop: 0 }}>
            Invite a colleague
          </h2>
          <p className="muted">
            Anyone with the link can join this team with the chosen role, as many times as you allow and until it expires. Owner
            links always work once. Send it over a channel you trust.
          </p>
          <Form method="post" className="inline-form invite-form">
            <input type="hidden" name="intent" value="invite" />
            <label>
              Role{" "}
              <select name="role" defaultValue="editor" aria-invalid={inviteErrors.role ? true : undefined}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Uses{" "}
              <input
                name="maxUses"
                type="number"
                min={1}
                max={INVITATION_MAX_USES}
                step={1}
                defaultValue={1}
                style={{ width: "5rem" }}
                aria-invalid={inviteErrors.maxUses ? true : undefined}
              />
            </label>
            <label>
              Expires after{" "}
              <select name="expiresIn" defaultValue={DEFAULT_INVITATION_EXPIRY} aria-invalid={inviteErrors.expiresIn ? true : undefined}>
                {INVITATION_EXPIRY_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button primary">
              Create invitation link
            </button>
          </Form>
          {Object.entries(inviteErrors).map(([field, messages]) =>
            messages?.length ? (
              <p key={field} className="field-error">
                {messages.join(" ")}
              </p>
            ) : null,
          )}
          {invitations.length ? (
            <ul className="invite-list">
              {invitations.map((i) => (
                <li key={i.id}>
                  <span className={`role-badge role-${i.role}`}>{i.role}</span> <code className="invite-link">{i.url}</code>{" "}
                  <span className="muted">
                    {i.usesLeft === 0 ? "used up" : `${i.usesLeft} of ${i.maxUses} ${i.maxUses === 1 ? "use" : "uses"} left`} · expires{" "}
                    {new Date(i.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC
                  </span>
                  {i.usesLeft > 0 ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button type="submit" className="button small">
                        Revoke
                      </button>
                    </Form>
                  ) : null}
                  {i.acceptedBy.length ? (
                    <span className="muted invite-accepted">
                      {`Accepted by ${i.acceptedBy.map((u) => `${u.name} (${u.role}, ${new Date(u.usedAt).toISOString().slice(0, 10)})`).join(", ")}`}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
