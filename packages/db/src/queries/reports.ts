import type { Centre, Referral, ReferralNeed, ReferralStatus, Schedule } from "@halte/core";
import { and, asc, eq, gt, gte, inArray, isNotNull, lt, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";
import { partners } from "../schema/partners.js";
import { referrals } from "../schema/referrals.js";
import { services } from "../schema/services.js";
import { centreFromRow } from "./centres.js";
import { referralFromRow } from "./referrals.js";

/** The centres of the given ids that exist (a report names at most 50, under D1's 100 bound parameters). */
export async function centresByIds(db: Db, ids: readonly string[]): Promise<Centre[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(centres)
    .where(inArray(centres.id, [...ids]))
    .orderBy(asc(centres.id));
  return rows.map(centreFromRow);
}

/** What the services report reads of a service: archived ones too, since their past uses still count. */
export interface ReportServiceRow {
  id: string;
  centreId: string;
  name: string;
  schedule: Schedule;
}

/** Every service of the given centres (archived included), in id order. */
export async function servicesOfCentres(db: Db, centreIds: readonly string[]): Promise<ReportServiceRow[]> {
  if (centreIds.length === 0) return [];
  return db
    .select({
      id: services.id,
      centreId: services.centreId,
      name: services.name,
      schedule: services.schedule,
    })
    .from(services)
    .where(inArray(services.centreId, [...centreIds]))
    .orderBy(asc(services.id));
}

/** Names of the given partners (at most 90 ids per call: D1 binds at most 100 parameters). */
export async function partnerNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: partners.id, name: partners.name })
      .from(partners)
      .where(inArray(partners.id, ids.slice(i, i + 90)));
    for (const row of rows) names.set(row.id, row.name);
  }
  return names;
}

export interface ReferralReportPage {
  centreId: string;
  /** Only this partner's referrals (a partner caller, or a report filtered by partner). */
  partnerId?: string;
  /**
   * Only referrals sent to the partner (a partner caller): it counts exactly what its own list shows,
   * never a draft or an entry voided before it was sent.
   */
  sentOnly?: boolean;
  /** Only referrals for this need, in this current status, or to this service (report filters). */
  need?: ReferralNeed;
  status?: ReferralStatus;
  serviceId?: string;
  /** Created at or after this instant (ISO UTC). */
  createdFrom: string;
  /** Created before this instant (ISO UTC). */
  createdBefore: string;
  /** The page after this id. */
  afterId?: string;
  limit: number;
}

/**
 * One page of a centre's referrals created in `[createdFrom, createdBefore)`, in id order, for a report
 * that folds them page by page. Referrals come by the tens a day, so a report reads them rather than a
 * rollup table; the scan uses the centre's index (`referrals_centre_status_idx`) or the partner's.
 */
export async function referralsForReport(
  db: Db,
  options: ReferralReportPage,
): Promise<(Referral & { recordKey: number })[]> {
  const conditions: SQL[] = [
    eq(referrals.centreId, options.centreId),
    gte(referrals.createdAt, options.createdFrom),
    lt(referrals.createdAt, options.createdBefore),
  ];
  if (options.partnerId !== undefined) conditions.push(eq(referrals.partnerId, options.partnerId));
  if (options.sentOnly === true) conditions.push(isNotNull(referrals.requestedAt));
  if (options.need !== undefined) conditions.push(eq(referrals.need, options.need));
  if (options.status !== undefined) conditions.push(eq(referrals.status, options.status));
  if (options.serviceId !== undefined) conditions.push(eq(referrals.serviceId, options.serviceId));
  if (options.afterId !== undefined) conditions.push(gt(referrals.id, options.afterId));
  const rows = await db
    .select()
    .from(referrals)
    .where(and(...conditions))
    .orderBy(asc(referrals.id))
    .limit(options.limit);
  return rows.map((row) => ({ ...referralFromRow(row), recordKey: row.recordKey }));
}
