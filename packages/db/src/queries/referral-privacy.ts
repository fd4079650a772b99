import type { ReferralHistoryEntry, ReferralTimelineEvent } from "@halte/core";
import { and, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { auditLog } from "../schema/audit-log.js";
import { consents } from "../schema/consents.js";
import { inboundWebhooks } from "../schema/inbound-webhooks.js";
import { referralHistory } from "../schema/referral-history.js";
import { referrals } from "../schema/referrals.js";

/** The fields of an audit diff that may hold a person's details or free text about them. */
const SCRUBBED_AUDIT_FIELDS = ["contact", "note", "statusNote", "partnerReference"] as const;

/**
 * An SQLite expression that rewrites an audit row's `diff` with every personal or free-text value of a
 * referral replaced by "[redacted]" (a `null` stays `null`, an absent field stays absent). Audit rows are
 * redacted when written; this clears copies written before that rule, and anything a future slip lets by.
 */
export function scrubbedAuditDiffSql(column = "diff"): string {
  const paths = SCRUBBED_AUDIT_FIELDS.flatMap((field) => [`$.before.${field}`, `$.after.${field}`]);
  const args = paths.map(
    (path) =>
      `'${path}', CASE WHEN json_type(${column}, '${path}') = 'null' THEN json('null') ELSE '[redacted]' END`,
  );
  return `json_replace(${column}, ${args.join(", ")})`;
}

/**
 * The statements that erase one referral's personal details and free text, for the erasure route's batch:
 * the contact, the notes, the partner's reference; the notes of its history and of the partners' messages
 * about it; the copies in the audit log; the consent's language, and the consent is withdrawn (if it was
 * not) so nothing more is shared. Status, need, partner, dates, age band, gender and languages stay: the
 * figures do not change.
 */
export function eraseReferralStatements(
  db: Db,
  referralId: string,
  at: string,
  timeline: { entry: ReferralHistoryEntry; actorId: string | null },
) {
  return [
    db
      .update(referrals)
      .set({
        contact: null,
        note: null,
        statusNote: null,
        partnerReference: null,
        erasedAt: at,
        updatedAt: at,
      })
      .where(and(eq(referrals.id, referralId), isNull(referrals.erasedAt))),
    insertTimelineEventAfterUpdate(db, { ...timeline.entry, event: "erased" }, timeline.actorId),
    db
      .update(referralHistory)
      .set({ note: null })
      .where(and(eq(referralHistory.referralId, referralId), isNotNull(referralHistory.note))),
    db
      .update(inboundWebhooks)
      .set({ note: null, partnerReference: null })
      .where(
        and(
          eq(inboundWebhooks.referralId, referralId),
          or(isNotNull(inboundWebhooks.note), isNotNull(inboundWebhooks.partnerReference)),
        ),
      ),
    db
      .update(auditLog)
      .set({ diff: sql.raw(scrubbedAuditDiffSql()) })
      .where(
        and(eq(auditLog.entity, "referral"), eq(auditLog.entityId, referralId), isNotNull(auditLog.diff)),
      ),
    db
      .update(consents)
      .set({ language: null, withdrawnAt: sql`coalesce(${consents.withdrawnAt}, ${at})`, updatedAt: at })
      .where(eq(consents.referralId, referralId)),
  ] as const;
}

/**
 * The statements recording a withdrawn consent: the consent gets its `withdrawnAt`, and the contact kept
 * under it goes (storing it was what the person agreed to). Applies only while the consent is not withdrawn
 * yet; the route checks that first.
 */
export function withdrawConsentStatements(
  db: Db,
  referralId: string,
  consentId: string,
  at: string,
  timeline: { entry: ReferralHistoryEntry; actorId: string | null },
) {
  return [
    db
      .update(consents)
      .set({ withdrawnAt: at, updatedAt: at })
      .where(and(eq(consents.id, consentId), isNull(consents.withdrawnAt))),
    insertTimelineEventAfterUpdate(db, { ...timeline.entry, event: "consent_withdrawn" }, timeline.actorId),
    db.update(referrals).set({ contact: null, updatedAt: at }).where(eq(referrals.id, referralId)),
  ] as const;
}

/**
 * A timeline line (withdrawal, erasure) to put in a batch right after the update it records: when that
 * update changed no row (another request did it first), `event` is NULL, the NOT NULL constraint fails and
 * D1 rolls the whole batch back — the same guard as `insertReferralHistoryAfterUpdate`.
 */
function insertTimelineEventAfterUpdate(
  db: Db,
  entry: ReferralHistoryEntry & { event: ReferralTimelineEvent },
  actorId: string | null,
) {
  return db.insert(referralHistory).values({
    referralId: entry.referralId,
    event: sql`CASE WHEN changes() = 1 THEN ${entry.event} END` as unknown as ReferralTimelineEvent,
    fromStatus: entry.from,
    toStatus: entry.to,
    actor: entry.actor,
    actorId,
    reason: null,
    note: null,
    at: entry.at,
  });
}

/** How many notes a referral's history and its partner's messages hold (for the erasure's audit: counts only). */
export async function countReferralNotes(db: Db, referralId: string): Promise<number> {
  const [history] = await db
    .select({ n: sql<number>`count(*)` })
    .from(referralHistory)
    .where(and(eq(referralHistory.referralId, referralId), isNotNull(referralHistory.note)));
  const [inbound] = await db
    .select({ n: sql<number>`count(*)` })
    .from(inboundWebhooks)
    .where(
      and(
        eq(inboundWebhooks.referralId, referralId),
        or(isNotNull(inboundWebhooks.note), isNotNull(inboundWebhooks.partnerReference)),
      ),
    );
  return (history?.n ?? 0) + (inbound?.n ?? 0);
}
