import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "That request was not valid",
  401: "Please sign in",
  403: "You do not have access",
  404: "Not found",
  413: "Too large",
  429: "Too many requests",
  503: "Not available right now",
};

/** One error page for every route: a clear message and a way back, never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let message = "Something went wrong on our side. Your work is saved; please try again.";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    message = typeof error.data === "string" && error.data ? error.data : error.statusText;
  }
  return (
    <section className="error-page" role="alert">
      <p className="error-code">{status}</p>
      <h1>{TITLES[status] ?? "Something went wrong"}</h1>
      <p>{message}</p>
      <p>
        <Link to="/teams">Back to your teams</Link>
      </p>
    </section>
  );
}
