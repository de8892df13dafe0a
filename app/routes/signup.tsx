import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { createUserIfEmailFree, hashPassword } from "../utils/db.server";
import { Field } from "../components/field";
import { InvitationNotice } from "../components/invitation-notice";
import { SignupSchema } from "../utils/account-validation";
import { getOptionalUser, safeRedirectPath } from "../utils/auth.server";
import { parseForm } from "../utils/form";
import { invitationForRedirect } from "../utils/invitations.server";
import { retryAfterHeaders } from "../utils/http";
import { signInAndRedirect } from "../utils/session.server";

export const meta: MetaFunction = () => [{ title: "Create account · Summit Desk" }];

export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "/teams");
  if (await getOptionalUser(request, context)) throw redirect(redirectTo);
  const invitation = await invitationForRedirect(context, redirectTo);
  return json({ redirectTo, invitation: invitation && { teamName: invitation.teamName, role: invitation.role, inviterName: invitation.inviterName } });
}

/**
 * Said for an email that already has an account, so sign-up does not tell who has one
 * (docs/decisions/0004-account-enumeration.md). Field-format errors are still shown per field.
 */
const NOT_CREATED = "Could not create an account with these details. If you already have an account, sign in.";

export async function action({ request, context }: ActionFunctionArgs) {
  const limit = await context.authLimits.authPerAddress.hit(context.clientAddress);
  if (!limit.ok) return tooManyAttempts("Too many attempts from this address. Try again later.", limit.retryAfterSeconds);
  const formData = await request.formData();
  const parsed = parseForm(SignupSchema, formData);
  if (parsed.errors) return json({ errors: parsed.errors }, { status: 400 });
  // Counted for taken and free emails alike, so probing one address is throttled either way.
  const byEmail = await context.authLimits.signupPerEmail.hit(parsed.data.email.toLowerCase());
  if (!byEmail.ok) return tooManyAttempts("Too many sign-up attempts for this email. Try again later.", byEmail.retryAfterSeconds);
  // Hashed before the lookup on both paths, so a taken email answers no faster than a free one.
  const passwordHash = await hashPassword(parsed.data.password);
  // Null for a taken email, also when another sign-up for it won a race at the insert.
  const user = await createUserIfEmailFree(context.store, { email: parsed.data.email, name: parsed.data.name, passwordHash });
  if (!user) return json({ errors: { form: [NOT_CREATED] } as Record<string, string[]> }, { status: 400 });
  return signInAndRedirect(context, user, safeRedirectPath(parsed.data.redirectTo, "/teams"), "signup");
}

function tooManyAttempts(message: string, retryAfterSeconds: number) {
  return json(
    { errors: { form: [message] } as Record<string, string[]> },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

export default function Signup() {
  const { invitation, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = (actionData?.errors ?? {}) as Record<string, string[] | undefined>;
  return (
    <div className="auth-layout">
      <section className="card auth-card">
        <h1>Create your account</h1>
        <InvitationNotice invitation={invitation} />
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          {errors.form ? (
            <p className="form-error" role="alert">
              {errors.form.join(" ")}
            </p>
          ) : null}
          <Field label="Full name" name="name" autoComplete="name" required maxLength={100} errors={errors.name} />
          <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors.email} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 8 characters."
            errors={errors.password}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Creating…" : "Create account"}
          </button>
        </Form>
        <p className="muted">
          Already have an account? <Link to={`/login?redirectTo=${encodeURIComponent(redirectTo)}`}>Sign in</Link>
        </p>
      </section>
    </div>
  );
}
