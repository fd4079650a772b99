import type { Partner } from "@halte/core";
import { copyPartnerRow, getPartner, type partners } from "@halte/db";
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

/**
 * Writes the partner's row, as it is about to stand in the directory, into its centre's own database
 * (referrals, uses and capacity reports there name it by a foreign key). Partner writes go copy first, then
 * directory: the directory row is what every route serves, so a directory write that fails after the copy
 * leaves the API answering as before, and the copy is an upsert of the whole row, so a retry converges.
 * Nothing to do on a single-database install, where the directory row is the centre's.
 */
export async function writePartnerCopy(c: Context<AppEnv>, row: typeof partners.$inferInsert): Promise<void> {
  const { dbs } = c.get("services");
  if (await dbs.sharesDirectory(row.centreId)) return;
  await copyPartnerRow(await dbs.dbFor(row.centreId), row);
}
