import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { getOptionalUser } from "./utils/auth.server";
import { countOpenMentions } from "./utils/comments.server";
import { NotificationBell } from "./components/notification-bell";
import { unreadCount } from "./utils/notifications.server";
import { remindDueReviews } from "./utils/review-reminders.server";
import stylesHref from "./styles/app.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

export const meta: MetaFunction = () => [{ title: "Summit Desk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request, context);
  if (!user) return json({ user: null, openMentions: 0, unreadNotifications: 0 });
  await remindDueReviews(context.store, user.id);
  return json({
    user: { id: user.id, name: user.name, email: user.email, color: user.color },
    openMentions: await countOpenMentions(context.store, user.id),
    unreadNotifications: await unreadCount(context.store, user.id),
  });
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {/* First in the tab order, so keyboard users can pass the top bar on every page. */}
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="topbar">
          <Link to="/" className="brand">
            Summit Desk
          </Link>
          <nav className="topnav">
            {user ? (
              <>
                <Link to="/teams">Teams</Link>
                <Link to="/mentions" aria-label={data?.openMentions ? `Mentions, ${data.openMentions} in open threads` : "Mentions"}>
                  Mentions{data?.openMentions ? <span className="count-badge">{data.openMentions}</span> : null}
                </Link>
                <NotificationBell initial={data?.unreadNotifications ?? 0} />
                <span className="who" title={user.email}>
                  <span className="dot" style={{ background: user.color }} aria-hidden /> {user.name}
                </span>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </Form>
              </>
            ) : (
              <>
                <Link to="/login">Sign in</Link>
                <Link to="/signup">Create account</Link>
              </>
            )}
          </nav>
        </header>
        <main id="main" className="page" tabIndex={-1}>
          {children}
        </main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
