import { z } from "zod";

/**
 * Who someone is to the system (DOMAIN.md "Access"). A user has one role per centre; a partner token acts
 * with the `partner` role for one organisation only.
 */
export const Role = z.enum(["admin", "coordinator", "reception", "partner", "observer"]);
export type Role = z.infer<typeof Role>;

/** What can be done. Routes and menus ask `roleCan(role, permission)`, never compare role names. */
export const Permission = z.enum([
  "centre:manage",
  "users:manage",
  "audit:read",
  "partners:read",
  "partners:manage",
  "services:read",
  "services:manage",
  "visits:record",
  "visits:read",
  "referrals:create",
  "referrals:read",
  "referrals:read-personal",
  "referrals:update",
  "referrals:respond",
  "service-uses:report",
  "events:manage",
  "lessons:read",
  "lessons:contribute",
  "lessons:validate",
  // Reading and moderating the anonymous feedback the people assisted leave on the public directory.
  "feedback:moderate",
  "reports:read",
  "reports:read-unsuppressed",
  "exports:internal",
  // Partners' webhook secrets and endpoints, the delivery log and re-sends.
  "webhooks:manage",
  // Setting up, listing and revoking a centre's door devices (tablets that record at the door).
  "door-devices:manage",
]);
export type Permission = z.infer<typeof Permission>;

const everyPermission = Permission.options;

/**
 * The role × permission table. `partner` reads and answers only its own organisation's referrals (the
 * API scopes the rows); `observer` sees aggregates only, always through disclosure control.
 */
export const rolePermissions: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(everyPermission),
  // The audit log, accounts and centres themselves are the admin's.
  coordinator: new Set(
    everyPermission.filter((p) => p !== "users:manage" && p !== "centre:manage" && p !== "audit:read"),
  ),
  // Reception volunteers contribute lessons (their own drafts, visible to the centre): the participatory
  // process hears the people at the door, not only coordinators.
  reception: new Set<Permission>([
    "visits:record",
    "services:read",
    "partners:read",
    "lessons:read",
    "lessons:contribute",
  ]),
  // `partners:read` lets a partner read its own organisation's record only: the API scopes the rows.
  partner: new Set<Permission>([
    "partners:read",
    "referrals:read",
    "referrals:read-personal",
    "referrals:respond",
    "service-uses:report",
    "services:read",
    // A partner's staff contribute lessons too (their own drafts, visible to the centre).
    "lessons:read",
    "lessons:contribute",
  ]),
  observer: new Set<Permission>(["reports:read", "services:read", "lessons:read"]),
};

/**
 * Whether a role holds a permission.
 *
 * @example
 * roleCan("reception", "visits:record"); // true
 * roleCan("reception", "referrals:read-personal"); // false
 */
export function roleCan(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}
