import { Form, NavLink } from "@remix-run/react";
import { roleAllows } from "./roles";

/**
 * The organizers' navigation, with the signed-in organizer and a sign-out button. Links a role
 * cannot use are left out (the server refuses them anyway).
 */
export function AdminNav({ email, role }: { email: string; role: string }) {
  return (
    <nav className="admin-nav" aria-label="Organizers">
      <NavLink to="/admin" end>
        Dashboard
      </NavLink>
      <NavLink to="/admin/campaigns">Campaigns</NavLink>
      <NavLink to="/admin/offices">Offices</NavLink>
      {roleAllows(role, "organizer") ? <NavLink to="/admin/moderation">Moderation</NavLink> : null}
      {roleAllows(role, "organizer") ? <NavLink to="/admin/deliveries">Deliveries</NavLink> : null}
      {roleAllows(role, "organizer") ? <NavLink to="/admin/outbox">Outbox</NavLink> : null}
      {roleAllows(role, "organizer") ? <NavLink to="/admin/exports">Exports</NavLink> : null}
      {roleAllows(role, "owner") ? <NavLink to="/admin/team">Team</NavLink> : null}
      {roleAllows(role, "owner") ? <NavLink to="/admin/audit">Audit log</NavLink> : null}
      <NavLink to="/admin/account">Account</NavLink>
      <span className="hint">
        {email} ({role})
      </span>
      <Form method="post" action="/admin/logout">
        <button type="submit" className="button">
          Sign out
        </button>
      </Form>
    </nav>
  );
}
