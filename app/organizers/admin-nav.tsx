import { Form, NavLink } from "@remix-run/react";

/** The organizers' navigation, with the signed-in organizer and a sign-out button. */
export function AdminNav({ email, role }: { email: string; role: string }) {
  return (
    <nav className="admin-nav" aria-label="Organizers">
      <NavLink to="/admin" end>
        Dashboard
      </NavLink>
      <NavLink to="/admin/campaigns">Campaigns</NavLink>
      <NavLink to="/admin/offices">Offices</NavLink>
      <NavLink to="/admin/moderation">Moderation</NavLink>
      <NavLink to="/admin/deliveries">Deliveries</NavLink>
      <NavLink to="/admin/outbox">Outbox</NavLink>
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
