import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/organizers/session.server";

export const loader = () => redirect("/admin");

export async function action({ request }: ActionFunctionArgs) {
  return endSession(request);
}
