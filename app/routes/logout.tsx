import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { assertSameOrigin } from "../utils/auth.server";
import { signOut } from "../utils/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request, context);
  return signOut(request, context);
}

export const loader = () => redirect("/");
