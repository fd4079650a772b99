import type { Partner } from "@halte/core";
import { getPartner } from "@halte/db";
import type { Context } from "hono";
import { assertCentreVisible } from "../../auth/middleware.js";
import type { Principal } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/**
 * A caller that belongs to an organisation (a partner's API token, a partner user) sees that organisation
 * only; staff see every partner of their centre. `null`: no such restriction.
 */
export function ownOrganisation(principal: Principal): string | null {
  return principal.partnerId;
}

/** The partner if the caller may see it; 404 otherwise, so nobody learns which ids exist elsewhere. */
export async function visiblePartner(
  c: Context<AppEnv>,
  principal: Principal,
  partnerId: string,
): Promise<Partner> {
  const partner = await getPartner(c.get("services").db, partnerId);
  const own = ownOrganisation(principal);
  if (!partner || (own !== null && partner.id !== own)) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}

export function refuseArchived(partner: Partner): void {
  if (partner.archivedAt !== null) {
    throw new ApiProblem("conflict", "This partner is archived; archived records are kept as they were");
  }
}
