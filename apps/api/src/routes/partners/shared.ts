import type { Partner } from "@halte/core";
import { copyPartnerRow, getPartner, partnerCentreIds, type partners } from "@halte/db";
import type { Context } from "hono";
import { type Principal, reachesCentre } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/**
 * A caller that belongs to an organisation (a partner's API token, a partner user) sees that organisation
 * only; staff see every partner of their centre. `null`: no such restriction.
 */
export function ownOrganisation(principal: Principal): string | null {
  return principal.partnerId;
}

/**
 * The partner if the caller may see it; 404 otherwise, so nobody learns which ids exist elsewhere. Staff see
 * the partners of their centre: with `linked`, those linked to it as well (reading); without, only those
 * whose home it is (changing the organisation itself, its secrets and links belongs to its home centre).
 */
export async function visiblePartner(
  c: Context<AppEnv>,
  principal: Principal,
  partnerId: string,
  options: { linked?: boolean } = {},
): Promise<Partner> {
  const { db } = c.get("services");
  const partner = await getPartner(db, partnerId);
  const own = ownOrganisation(principal);
  if (!partner || (own !== null && partner.id !== own)) throw new ApiProblem("not_found", "No such partner");
  const reached =
    reachesCentre(principal, partner.centreId) ||
    (options.linked === true &&
      (await partnerCentreIds(db, partner.id)).some((id) => reachesCentre(principal, id)));
  if (!reached) throw new ApiProblem("not_found", "No such record");
  return partner;
}

/**
 * The partner with the centres it works with (home and linked, `partner_centres`), as far as the caller
 * reaches them: a centre's staff are not told which other centres an organisation works with.
 */
export async function partnerWithCentres(c: Context<AppEnv>, principal: Principal, partner: Partner) {
  const centres = await partnerCentreIds(c.get("services").db, partner.id);
  return { ...partner, centreIds: centres.filter((id) => reachesCentre(principal, id)) };
}

export function refuseArchived(partner: Partner): void {
  if (partner.archivedAt !== null) {
    throw new ApiProblem("conflict", "This partner is archived; archived records are kept as they were");
  }
}

/**
 * Writes the partner's row, as it is about to stand in the directory, into the own database of every centre
 * it works with (`centreIds`, else its home and linked centres as the directory has them): referrals, uses
 * and capacity reports there name it by a foreign key. Partner writes go copy first, then directory: the
 * directory row is what every route serves, so a directory write that fails after the copy leaves the API
 * answering as before, and the copy is an upsert of the whole row, so a retry converges. A linked centre's
 * copy names that centre as the partner's (its database holds no other centre row for the key to name); the
 * home centre's, and any database holding the home centre, name the home. Nothing to do for a centre sharing
 * the directory's database, where the directory row is the centre's.
 */
export async function writePartnerCopy(
  c: Context<AppEnv>,
  row: typeof partners.$inferInsert,
  centreIds?: readonly string[],
): Promise<void> {
  const { db, dbs } = c.get("services");
  const linked = centreIds ?? (await partnerCentreIds(db, row.id));
  const written = new Set<string>(["DB"]);
  for (const centreId of [row.centreId, ...linked.filter((id) => id !== row.centreId)]) {
    const binding = await dbs.requireBinding(centreId);
    if (written.has(binding)) continue;
    written.add(binding);
    await copyPartnerRow(dbs.dbNamed(binding), { ...row, centreId });
  }
}

/**
 * Writes the partner's row into the database of one centre it is being linked to (naming that centre, see
 * `writePartnerCopy`), before the link itself is written in the directory: a referral there can then name it
 * as soon as the link exists. Nothing to do when that database is the directory's or the home centre's.
 */
export async function copyPartnerInto(
  c: Context<AppEnv>,
  row: typeof partners.$inferSelect,
  centreId: string,
): Promise<void> {
  const { dbs } = c.get("services");
  const binding = await dbs.requireBinding(centreId);
  if (binding === "DB" || binding === (await dbs.requireBinding(row.centreId))) return;
  await copyPartnerRow(dbs.dbNamed(binding), { ...row, centreId });
}
