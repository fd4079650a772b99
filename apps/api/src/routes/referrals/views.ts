import {
  type Consent,
  consentAllows,
  partnerHistoryView,
  partnerReferralView,
  Referral,
  ReferralHistoryEntry,
  ReferralTimelineEvent,
  roleCan,
} from "@halte/core";
import { consentsByIds, type Db, getConsent, getReferral } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { assertCentreVisible } from "../../auth/middleware.js";
import type { Principal } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/**
 * A referral as returned. Coordinators and admins see it whole. The referral's partner sees the person's
 * contact, the notes, age band, gender and languages only while the person's consent covers sharing with
 * it (`partnerReferralView` in core); without it, those are `null` and it learns only `hasContact`.
 */
export const ReferralRecord = Referral.extend({ hasContact: z.boolean() }).openapi("Referral");
export type ReferralRecord = z.infer<typeof ReferralRecord>;
export const HistoryEntryRecord = ReferralHistoryEntry.extend({ event: ReferralTimelineEvent }).openapi(
  "ReferralHistoryEntry",
);
export const ReferralParams = z.object({ referralId: z.string().min(1).max(64) });

export function isPartner(principal: Principal): boolean {
  return principal.role === "partner";
}

/** The referral as `principal` may see it at `at`, given the referral's consent record. */
export function referralRecord(
  principal: Principal,
  referral: Referral,
  consent: Consent | null,
  at: Date,
): ReferralRecord {
  const hasContact = referral.contact !== null;
  if (isPartner(principal)) {
    if (referral.partnerId !== principal.partnerId) return partnerReferralView(referral, null, at);
    return partnerReferralView(referral, consent, at);
  }
  const contact = roleCan(principal.role, "referrals:read-personal") ? referral.contact : null;
  return { ...referral, contact, hasContact };
}

/**
 * A referral with the database it lives in (its centre's, `dbs.dbFor(centreId)`): its consent, history and
 * acknowledgement are read there, and every write about it goes there, audit row included.
 */
export interface LocatedReferral {
  referral: Referral;
  db: Db;
}

/** The consent a partner's view depends on (staff views need none), read in the referral's database. */
export async function consentForView(
  principal: Principal,
  { referral, db }: LocatedReferral,
): Promise<Consent | null> {
  if (!isPartner(principal) || referral.consentId === null) return null;
  return getConsent(db, referral.consentId);
}

export async function recordFor(c: Context<AppEnv>, principal: Principal, located: LocatedReferral) {
  const consent = await consentForView(principal, located);
  return referralRecord(principal, located.referral, consent, c.get("services").now());
}

/**
 * A page of referrals as `principal` may see them, reading the consents a partner's view needs at once from
 * each referral's database (`dbOf` names it by centre).
 */
export async function recordsFor(
  c: Context<AppEnv>,
  principal: Principal,
  referrals: Referral[],
  dbOf: (centreId: string) => Db,
) {
  const consents = new Map<string, Consent>();
  if (isPartner(principal)) {
    const byDb = new Map<Db, string[]>();
    for (const r of referrals) {
      if (r.consentId === null) continue;
      const db = dbOf(r.centreId);
      byDb.set(db, [...(byDb.get(db) ?? []), r.consentId]);
    }
    for (const [db, ids] of byDb)
      for (const [id, consent] of await consentsByIds(db, ids)) consents.set(id, consent);
  }
  const at = c.get("services").now();
  return referrals.map((r) =>
    referralRecord(principal, r, r.consentId === null ? null : (consents.get(r.consentId) ?? null), at),
  );
}

/** History lines as `principal` may see them: a partner sees the centre's notes only with consent to share. */
export async function historyFor<T extends ReferralHistoryEntry>(
  c: Context<AppEnv>,
  principal: Principal,
  located: LocatedReferral,
  entries: T[],
): Promise<T[]> {
  if (!isPartner(principal)) return entries;
  const consent = await consentForView(principal, located);
  const sharing = consentAllows(consent, "share_with_partner", c.get("services").now());
  return entries.map((entry) => partnerHistoryView(entry, sharing));
}

/**
 * The referral, if the caller may see it, with its database; otherwise 404 so nobody learns which ids exist
 * elsewhere. It is looked for only in the databases the caller reaches (its own centre's when it is bound to
 * one). A partner sees only its own organisation's referrals, and only those that were sent to it.
 */
export async function visibleReferral(
  c: Context<AppEnv>,
  principal: Principal,
  id: string,
): Promise<LocatedReferral> {
  const found = await c.get("services").dbs.findInReachable(principal, (db) => getReferral(db, id));
  if (!found) throw new ApiProblem("not_found", "No such referral");
  const referral = found.found;
  assertCentreVisible(principal, referral.centreId);
  if (isPartner(principal) && (referral.partnerId !== principal.partnerId || referral.requestedAt === null)) {
    throw new ApiProblem("not_found", "No such referral");
  }
  return { referral, db: found.db };
}

/** What the audit log keeps of a referral (core's redaction then hides the personal and free-text fields). */
export function auditView(referral: Referral) {
  const { id: _id, centreId: _centre, createdAt: _c, updatedAt: _u, contact, ...rest } = referral;
  return { ...rest, ...(contact === null ? {} : { contact }) };
}

export function statusView(referral: Referral) {
  return {
    status: referral.status,
    statusReason: referral.statusReason,
    statusNote: referral.statusNote,
    partnerReference: referral.partnerReference,
    requestedAt: referral.requestedAt,
    closedAt: referral.closedAt,
    version: referral.version,
  };
}
