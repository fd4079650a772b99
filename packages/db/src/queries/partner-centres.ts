import { and, Column, eq, getTableName, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";
import { partnerCentres } from "../schema/partner-centres.js";
import { partners } from "../schema/partners.js";

/**
 * The SQL of the centres a partner works with, as a JSON array of ids: its home centre and every centre
 * linked to it (`partner_centres`). Folded into the reads that find a caller (a token, a session), so knowing
 * a partner caller's centres costs no round trip of its own. `partnerId` is a column or a bound value.
 */
export function partnerCentreIdsJson(partnerId: Column | SQL): SQL<string | null> {
  // A column is written with its table's name: drizzle leaves it bare in a select of one table, and a bare
  // `"id"` would be read as the inner `partners` row's own id. The inner tables are aliased for the same reason.
  const outer =
    partnerId instanceof Column
      ? sql`${sql.identifier(getTableName(partnerId.table))}.${sql.identifier(partnerId.name)}`
      : partnerId;
  return sql<string | null>`(select json_group_array(x.centre_id) from (
    select p_home.centre_id as centre_id from "partners" p_home where p_home.id = ${outer}
    union select p_link.centre_id from "partner_centres" p_link where p_link.partner_id = ${outer}
  ) x)`;
}

/** Parses `partnerCentreIdsJson`'s answer (null, or a JSON array of ids) into a sorted list. */
export function parseCentreIds(json: string | null | undefined): string[] {
  if (!json) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string").sort() : [];
}

/** The centres a partner works with (home included), sorted; empty for an unknown partner. */
export async function partnerCentreIds(db: Db, partnerId: string): Promise<string[]> {
  const [row] = await db
    .select({ ids: partnerCentreIdsJson(sql`${partnerId}`) })
    .from(partners)
    .where(eq(partners.id, partnerId))
    .limit(1);
  return parseCentreIds(row?.ids);
}

/** A centre the partner works with, as the inbound webhook routes to it. */
export interface PartnerCentre {
  id: string;
  timeZone: string;
  retentionMonths: number;
  /** The binding of the database holding the centre's rows (`centres.d1_binding`). */
  d1Binding: string;
}

/** The select of the centres a partner works with (home included), to run alone or in a batch. */
export function partnerCentresQuery(db: Db, partnerId: string) {
  return db
    .select({
      id: centres.id,
      timeZone: centres.timeZone,
      retentionMonths: centres.retentionMonths,
      d1Binding: centres.d1Binding,
    })
    .from(centres)
    .where(
      sql`${centres.id} in (select p_home.centre_id from "partners" p_home where p_home.id = ${partnerId}
        union select p_link.centre_id from "partner_centres" p_link where p_link.partner_id = ${partnerId})`,
    );
}

/** Whether the partner works with the centre: its home, or linked to it. */
export async function partnerWorksAt(db: Db, partnerId: string, centreId: string): Promise<boolean> {
  return (await partnerCentreIds(db, partnerId)).includes(centreId);
}

/** The condition "this partner row works with the centre" (home or linked), for a select of partners. */
export function worksAtCentre(centreId: string): SQL {
  return sql`("partners"."centre_id" = ${centreId} or exists (select 1 from "partner_centres" p_link
    where p_link.partner_id = "partners"."id" and p_link.centre_id = ${centreId}))`;
}

/** Links a partner to a centre; linking again changes nothing (the first `linked_at` stays). */
export function linkPartnerCentre(db: Db, partnerId: string, centreId: string, at: string) {
  return db.insert(partnerCentres).values({ partnerId, centreId, linkedAt: at }).onConflictDoNothing();
}

/** Ends a partner's link to a centre (its home centre's is never removed by the API). */
export function unlinkPartnerCentre(db: Db, partnerId: string, centreId: string) {
  return db
    .delete(partnerCentres)
    .where(and(eq(partnerCentres.partnerId, partnerId), eq(partnerCentres.centreId, centreId)));
}
