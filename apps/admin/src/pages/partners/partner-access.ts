// What the signed-in staff member may do with partners, as far as the session tells: the page hides what the
// API would refuse, and the API stays the authority (its refusals are shown as they come).
import { type Permission, roleCan } from "@halte/core";
import type { Session } from "../../api.js";

/**
 * Whether the session holds `permission` at a centre: its role has it, and it is bound to that centre or to
 * none (an admin or coordinator of every centre), as the API's own check reads it.
 */
export function holdsAt(session: Session, permission: Permission, centreId: string): boolean {
  const { role, centreId: boundTo } = session.user;
  return roleCan(role, permission) && (boundTo === null || boundTo === centreId);
}

/**
 * Whether the session manages partners at a centre. Editing, archiving and linking a partner need it at its
 * home centre; linking or unlinking another centre needs it there too (docs/partners.md, "Who may link").
 */
export function managesPartnersAt(session: Session, centreId: string): boolean {
  return holdsAt(session, "partners:manage", centreId);
}
