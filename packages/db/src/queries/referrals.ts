import type { Consent, Referral, ReferralHistoryEntry, ReferralNeed, ReferralStatus } from "@halte/core";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { consents } from "../schema/consents.js";
import { partners } from "../schema/partners.js";
import { referralAcknowledgements } from "../schema/referral-acknowledgements.js";
import { referralHistory } from "../schema/referral-history.js";
import { referrals } from "../schema/referrals.js";
import { parseCentreIds, partnerCentreIdsJson } from "./partner-centres.js";

type ReferralRow = typeof referrals.$inferSelect;
type ConsentRow = typeof consents.$inferSelect;

export function referralFromRow(row: ReferralRow): Referral {
  return {
    id: row.id,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    centreId: row.centreId,
    partnerId: row.partnerId,
    serviceId: row.serviceId,
    need: row.need,
    note: row.note,
    status: row.status,
    statusReason: row.statusReason,
    statusNote: row.statusNote,
    partnerReference: row.partnerReference,
    contact: row.contact,
    consentId: row.consentId,
    ageBand: row.ageBand,
    gender: row.gender,
    languages: row.languages,
    requestedAt: row.requestedAt,
    closedAt: row.closedAt,
    erasedAt: row.erasedAt,
    version: row.version,
  };
}

export function consentFromRow(row: ConsentRow): Consent {
  return {
    id: row.id,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    centreId: row.centreId,
    referralId: row.referralId,
    givenAt: row.givenAt,
    method: row.method,
    scopes: row.scopes,
    ...(row.language === null ? {} : { language: row.language }),
    withdrawnAt: row.withdrawnAt,
  };
}

export async function getReferral(db: Db, id: string): Promise<Referral | null> {
  const [row] = await db.select().from(referrals).where(eq(referrals.id, id)).limit(1);
  return row ? referralFromRow(row) : null;
}

export interface ListReferralsOptions {
  centreId?: string;
  /** Only these centres' referrals (a partner working with several centres). */
  centreIds?: readonly string[];
  partnerId?: string;
  status?: ReferralStatus;
  need?: ReferralNeed;
  /** Only referrals that were sent (partners never see one that was not: a draft, or a draft entered in error). */
  onlySent?: boolean;
  /** Only those the partner has (true) or has not yet (false) acknowledged through the pull API. */
  acknowledged?: boolean;
  /** Only referrals created at or after this instant (ISO 8601, UTC). */
  createdFrom?: string;
  /** Only referrals created before this instant (ISO 8601, UTC; exclusive). */
  createdBefore?: string;
  /** Newest first: the page after this key (the last row's `createdAt` and `id`) holds older referrals. */
  before?: { createdAt: string; id: string };
  limit: number;
}

/** Referrals newest first, one more than `limit` so the caller knows whether a next page exists. */
export async function listReferrals(db: Db, options: ListReferralsOptions): Promise<Referral[]> {
  const conditions: SQL[] = [];
  if (options.centreId) conditions.push(eq(referrals.centreId, options.centreId));
  if (options.centreIds) conditions.push(inArray(referrals.centreId, [...options.centreIds]));
  if (options.partnerId) conditions.push(eq(referrals.partnerId, options.partnerId));
  if (options.status) conditions.push(eq(referrals.status, options.status));
  if (options.need) conditions.push(eq(referrals.need, options.need));
  if (options.onlySent) conditions.push(isNotNull(referrals.requestedAt));
  if (options.acknowledged !== undefined) {
    const acknowledged = sql`exists (select 1 from ${referralAcknowledgements} where ${referralAcknowledgements.referralId} = ${referrals.id})`;
    conditions.push(options.acknowledged ? acknowledged : sql`not ${acknowledged}`);
  }
  if (options.createdFrom) conditions.push(gte(referrals.createdAt, options.createdFrom));
  if (options.createdBefore) conditions.push(lt(referrals.createdAt, options.createdBefore));
  if (options.before) {
    const { createdAt, id } = options.before;
    const older = or(
      lt(referrals.createdAt, createdAt),
      and(eq(referrals.createdAt, createdAt), lt(referrals.id, id)),
    );
    if (older) conditions.push(older);
  }
  // By creation time, not id: seeded or imported rows carry ids that do not follow time.
  const rows = await db
    .select()
    .from(referrals)
    .where(and(...conditions))
    .orderBy(desc(referrals.createdAt), desc(referrals.id))
    .limit(options.limit + 1);
  return rows.map(referralFromRow);
}

/** The insert statement for a new referral (status, version and dates as the caller computed them). */
export function insertReferral(db: Db, referral: Referral) {
  return db.insert(referrals).values(referral);
}

/** The insert statement for a consent record. */
export function insertConsent(db: Db, consent: Consent) {
  return db.insert(consents).values({ ...consent, language: consent.language ?? null });
}

export async function getConsent(db: Db, id: string): Promise<Consent | null> {
  const [row] = await db.select().from(consents).where(eq(consents.id, id)).limit(1);
  return row ? consentFromRow(row) : null;
}

/** Consent records by id (at most a page of referrals' worth, under D1's parameter limit per query). */
export async function consentsByIds(db: Db, ids: readonly string[]): Promise<Map<string, Consent>> {
  const found = new Map<string, Consent>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 99) {
    const rows = await db
      .select()
      .from(consents)
      .where(inArray(consents.id, unique.slice(i, i + 99)));
    for (const row of rows) found.set(row.id, consentFromRow(row));
  }
  return found;
}

/** The organisation a referral is addressed to, with the centre it belongs to. */
export async function findReferralPartner(
  db: Db,
  id: string,
): Promise<{ id: string; centreId: string; centreIds: string[]; archivedAt: string | null } | null> {
  const [row] = await db
    .select({
      id: partners.id,
      centreId: partners.centreId,
      centreIds: partnerCentreIdsJson(partners.id),
      archivedAt: partners.archivedAt,
    })
    .from(partners)
    .where(eq(partners.id, id))
    .limit(1);
  return row ? { ...row, centreIds: parseCentreIds(row.centreIds) } : null;
}

/**
 * The statement applying a status change with optimistic concurrency: it changes the row only while it
 * still has the version the change was computed from.
 */
export function updateReferralStatus(db: Db, next: Referral, expectedVersion: number) {
  return db
    .update(referrals)
    .set({
      status: next.status,
      statusReason: next.statusReason,
      statusNote: next.statusNote,
      partnerReference: next.partnerReference,
      requestedAt: next.requestedAt,
      closedAt: next.closedAt,
      updatedAt: next.updatedAt,
      version: next.version,
    })
    .where(and(eq(referrals.id, next.id), eq(referrals.version, expectedVersion)));
}

/** The insert statement for a history line. */
export function insertReferralHistory(db: Db, entry: ReferralHistoryEntry, actorId: string | null) {
  return db.insert(referralHistory).values({
    referralId: entry.referralId,
    event: entry.event ?? "status_changed",
    fromStatus: entry.from,
    toStatus: entry.to,
    actor: entry.actor,
    actorId,
    reason: entry.reason,
    note: entry.note,
    at: entry.at,
  });
}

/**
 * The history line of a status change, to put in a batch *right after* `updateReferralStatus`: when that
 * update changed no row (another change won the race), `changes()` is 0, the status written here is NULL,
 * the NOT NULL constraint fails and D1 rolls the whole batch back — so no history or audit row is left
 * behind for a change that did not happen. D1 has no interactive transactions to do this otherwise.
 */
export function insertReferralHistoryAfterUpdate(
  db: Db,
  entry: ReferralHistoryEntry,
  actorId: string | null,
) {
  return db.insert(referralHistory).values({
    referralId: entry.referralId,
    event: entry.event ?? "status_changed",
    fromStatus: entry.from,
    toStatus: sql`CASE WHEN changes() = 1 THEN ${entry.to} END`,
    actor: entry.actor,
    actorId,
    reason: entry.reason,
    note: entry.note,
    at: entry.at,
  });
}

/** A referral's history in order, with the row id for paging. */
export async function listReferralHistory(
  db: Db,
  referralId: string,
  options: { afterId?: number; limit: number },
): Promise<Array<ReferralHistoryEntry & { seq: number }>> {
  const conditions: SQL[] = [eq(referralHistory.referralId, referralId)];
  if (options.afterId !== undefined) conditions.push(gt(referralHistory.id, options.afterId));
  const rows = await db
    .select()
    .from(referralHistory)
    .where(and(...conditions))
    .orderBy(asc(referralHistory.id))
    .limit(options.limit + 1);
  return rows.map((row) => ({
    seq: row.id,
    referralId: row.referralId,
    event: row.event,
    from: row.fromStatus,
    to: row.toStatus,
    actor: row.actor,
    reason: row.reason,
    note: row.note,
    at: row.at,
  }));
}
