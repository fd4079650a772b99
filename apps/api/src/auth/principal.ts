import { type Permission, type Role, roleCan } from "@halte/core";

/** Who is calling, once authenticated. */
export type Principal =
  | {
      kind: "user";
      id: string;
      role: Role;
      /** null: an admin of every centre. */
      centreId: string | null;
      partnerId: string | null;
      csrfToken: string;
    }
  | {
      /**
       * A door device (a tablet set up by a coordinator): it records at the door of its one centre and
       * nothing else, whatever its role's table says (see `principalCan`).
       */
      kind: "door";
      id: string;
      role: "reception";
      centreId: string;
      partnerId: null;
      csrfToken: string;
    }
  | {
      kind: "token";
      id: string;
      role: "partner";
      centreId: string;
      partnerId: string;
    };

/**
 * What a door device may do: record at the door (arrivals, uses, their undo, today's counts, the ticket
 * queues of routes/tickets).
 */
const DOOR_DEVICE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(["visits:record"]);

/** Whether this caller holds a permission: its role's, narrowed to recording for a door device. */
export function principalCan(principal: Principal, permission: Permission): boolean {
  if (principal.kind === "door" && !DOOR_DEVICE_PERMISSIONS.has(permission)) return false;
  return roleCan(principal.role, permission);
}
