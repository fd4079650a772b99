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
      /** A partner's staff: every centre the partner works with, its home included (see `principalCentres`). */
      partnerCentreIds?: readonly string[];
      csrfToken: string;
      /** The session's expiry: a credential grant made from it ends then (`auth/grants.ts`). */
      expiresAt?: string;
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
      /** The partner's home centre when the token was made. */
      centreId: string;
      partnerId: string;
      /** Every centre the partner works with, its home included (see `principalCentres`). */
      partnerCentreIds?: readonly string[];
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

/**
 * The centres a caller is confined to, or null for every centre (an admin or coordinator bound to none). A
 * partner's token or staff reach exactly the centres the partner works with (`partner_centres`, read with the
 * credential on every request, so an unlinked centre is out of reach at the next request); anyone else bound
 * to a centre reaches that one.
 */
export function principalCentres(principal: Principal): readonly string[] | null {
  if (principal.kind !== "door" && principal.partnerId !== null && principal.partnerCentreIds?.length) {
    return principal.partnerCentreIds;
  }
  return principal.centreId === null ? null : [principal.centreId];
}

/** Whether the caller may act on (or see) a centre's records: `principalCentres` holds it, or is null. */
export function reachesCentre(principal: Principal, centreId: string): boolean {
  const centres = principalCentres(principal);
  return centres === null || centres.includes(centreId);
}
