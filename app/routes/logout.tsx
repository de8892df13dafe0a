import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "../utils/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  return signOut(request, context);
}

export const loader = () => redirect("/");
