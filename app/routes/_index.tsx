import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "../utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request, context);
  return redirect(user ? "/teams" : "/login");
}
