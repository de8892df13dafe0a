import { json, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDemoUser, getUserByEmail, listDemoUsers, verifyPassword } from "../utils/db.server";
import { Field } from "../components/field";
import { InvitationNotice } from "../components/invitation-notice";
import { LoginSchema } from "../utils/account-validation";
import { recordAudit } from "../utils/audit.server";
import { getOptionalUser, safeRedirectPath } from "../utils/auth.server";
import { parseForm } from "../utils/form";
import { invitationForRedirect } from "../utils/invitations.server";
import { retryAfterHeaders } from "../utils/http";
import { signInAndRedirect } from "../utils/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Summit Desk" }];

export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "/teams");
  if (await getOptionalUser(request, context)) throw redirect(redirectTo);
  const demoUsers = context.config.DEMO_LOGIN ? await listDemoUsers(context.store) : [];
  const seen = new Set<string>();
  const invitation = await invitationForRedirect(context, redirectTo);
  // The page carries the checked target, never the raw query value, into its forms and links.
  return json({
    redirectTo,
    demoUsers: demoUsers.filter((u) => !seen.has(u.id) && seen.add(u.id)),
    invitation: invitation && { teamName: invitation.teamName, role: invitation.role, inviterName: invitation.inviterName },
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const redirectTo = safeRedirectPath(formData.get("redirectTo"), "/teams");
  const byAddress = await context.authLimits.authPerAddress.hit(context.clientAddress);
  if (!byAddress.ok) {
    if (byAddress.firstRefusal) await recordRateLimited(context, formData.get("email"), "address", byAddress.retryAfterSeconds);
    return tooManyAttempts(byAddress.retryAfterSeconds);
  }

  if (formData.get("intent") === "demo") {
    const userId = String(formData.get("userId") ?? "");
    const user = context.config.DEMO_LOGIN ? await getDemoUser(context.store, userId) : undefined;
    if (!user) return json({ errors: { form: ["Demo sign-in is not available for that account."] } }, { status: 400 });
    // No password to fail here, so nothing is counted; but an account locked by failed sign-ins
    // stays locked on this path too, or the lockout would have a password-free way around it.
    const locked = await context.authLimits.loginPerEmail.check(user.email.toLowerCase());
    if (!locked.ok) return tooManyAttempts(locked.retryAfterSeconds);
    return signInAndRedirect(context, user, redirectTo, "demo");
  }

  const parsed = parseForm(LoginSchema, formData);
  if (parsed.errors) return json({ errors: parsed.errors }, { status: 400 });
  const emailKey = parsed.data.email.toLowerCase();
  const byEmail = await context.authLimits.loginPerEmail.hit(emailKey);
  if (!byEmail.ok) {
    if (byEmail.firstRefusal) await recordRateLimited(context, parsed.data.email, "email", byEmail.retryAfterSeconds);
    return tooManyAttempts(byEmail.retryAfterSeconds);
  }
  const user = await getUserByEmail(context.store, parsed.data.email);
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    // The email as typed, and the account when there is one, so owners see attempts on their members.
    await recordAudit(context, { id: user?.id ?? null, email: parsed.data.email }, { action: "auth.sign_in_failed", details: { reason: user ? "wrong_password" : "unknown_email" } });
    return json({ errors: { form: ["That email and password do not match an account."] } }, { status: 401 });
  }
  await context.authLimits.loginPerEmail.reset(emailKey);
  return signInAndRedirect(context, user, redirectTo, "password");
}

/**
 * One audit row when sign-ins start being refused for an email or an address (the first 429 of its
 * window), with the account when the email is one, so the member's team owners see it.
 */
async function recordRateLimited(context: AppLoadContext, email: unknown, limit: "email" | "address", retryAfterSeconds: number) {
  const typed = typeof email === "string" ? email.trim().slice(0, 320) : "";
  const user = typed ? await getUserByEmail(context.store, typed) : undefined;
  await recordAudit(context, typed ? { id: user?.id ?? null, email: typed } : null, {
    action: "auth.sign_in_rate_limited",
    target: limit === "address" ? context.clientAddress : typed,
    details: { limit, retryAfterSeconds },
  });
}

function tooManyAttempts(retryAfterSeconds: number) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return json(
    { errors: { form: [`Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`] } as Record<string, string[]> },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export default function Login() {
  const { demoUsers, invitation, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = (actionData?.errors ?? {}) as Record<string, string[] | undefined>;
  return (
    <div className="auth-layout">
      <section className="card auth-card">
        <h1>Sign in</h1>
        <InvitationNotice invitation={invitation} />
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          {errors.form ? (
            <p className="form-error" role="alert">
              {errors.form.join(" ")}
            </p>
          ) : null}
          {/* The page has one job, so the caret starts where it begins. */}
          <Field label="Email" name="email" type="email" autoComplete="email" autoFocus required errors={errors.email} />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </Form>
        <p className="muted">
          New here? <Link to={`/signup?redirectTo=${encodeURIComponent(redirectTo)}`}>Create an account</Link>
        </p>
      </section>
      {demoUsers.length ? (
        <section className="card auth-card demo-card" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Try the demo desk</h2>
          <p className="muted">Sign in with one click as a member of the Kazakhstan–Türkiye desk.</p>
          <ul className="demo-list">
            {demoUsers.map((u) => (
              <li key={u.id}>
                <Form method="post">
                  <input type="hidden" name="intent" value="demo" />
                  <input type="hidden" name="userId" value={u.id} />
                  <input type="hidden" name="redirectTo" value={redirectTo} />
                  <button type="submit" className="button demo-button" disabled={busy}>
                    <span>{u.name}</span>
                    <span className={`role-badge role-${u.role}`}>{u.role}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
