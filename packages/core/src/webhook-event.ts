import { z } from "zod";
import { Id, Instant, text } from "./common.js";
import { type Referral, ReferralStatus, StatusReason } from "./referral.js";
import { MAX_USES_PER_REPORT } from "./service-use.js";
import { LocalDate } from "./zoned-time.js";

/**
 * The events a partner sends to a centre, as the JSON body of a Standard Webhooks message:
 * `{ "type": "…", "timestamp": "…", "data": { … } }`. `data.occurredAt` is when the change happened at the
 * partner; it orders deliveries that arrive out of order. None of them carries personal data.
 */
export const ReferralStatusChangedData = z.strictObject({
  referralId: Id,
  /** The status the partner moved the referral to (the partner's moves only: accepted, rejected, …). */
  status: ReferralStatus,
  reason: StatusReason.optional(),
  /** Free text about the change; must not contain personal details. */
  note: text(1000).optional(),
  /** The partner's own reference for the referral. */
  partnerReference: z.string().trim().min(1).max(100).optional(),
  occurredAt: Instant,
});
export type ReferralStatusChangedData = z.infer<typeof ReferralStatusChangedData>;

/** A service's remaining capacity for a day, as the partner running it sees it ("no beds left tonight"). */
export const ServiceCapacityChangedData = z.strictObject({
  serviceId: Id,
  /** The centre-local day the capacity is about. */
  day: LocalDate,
  /** How many more people the service can take that day; 0 means full. */
  available: z.int().min(0).max(100_000),
  note: text(1000).optional(),
  occurredAt: Instant,
});
export type ServiceCapacityChangedData = z.infer<typeof ServiceCapacityChangedData>;

/** A bulk count of uses of a partner's service at the centre ("14 consultations this afternoon"). */
export const ServiceUseReportedData = z.strictObject({
  serviceId: Id,
  usedAt: Instant,
  quantity: z.int().min(1).max(MAX_USES_PER_REPORT),
  occurredAt: Instant,
});
export type ServiceUseReportedData = z.infer<typeof ServiceUseReportedData>;

const envelope = { timestamp: Instant.optional() };

/** Every event a partner may send, told apart by `type`. Unknown fields are refused. */
export const PartnerWebhookEvent = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("referral.status_changed"),
    ...envelope,
    data: ReferralStatusChangedData,
  }),
  z.strictObject({
    type: z.literal("service.capacity_changed"),
    ...envelope,
    data: ServiceCapacityChangedData,
  }),
  z.strictObject({ type: z.literal("service_use.reported"), ...envelope, data: ServiceUseReportedData }),
]);
export type PartnerWebhookEvent = z.infer<typeof PartnerWebhookEvent>;

/** The event types a partner may send. */
export const PartnerWebhookEventType = z.enum([
  "referral.status_changed",
  "service.capacity_changed",
  "service_use.reported",
]);
export type PartnerWebhookEventType = z.infer<typeof PartnerWebhookEventType>;

/**
 * What a partner receives when the person withdraws their consent (or has their details erased, which
 * withdraws it too): from `withdrawnAt` on, the centre sends it no detail about the person, and it should
 * delete what it received. Ids and dates only, like every event we send.
 */
export const ReferralConsentWithdrawnEvent = z.strictObject({
  type: z.literal("referral.consent_withdrawn"),
  timestamp: Instant,
  data: z.strictObject({
    referralId: Id,
    centreId: Id,
    withdrawnAt: Instant,
    occurredAt: Instant,
    /** Where the partner reads what it may still see of the referral (no personal detail any more). */
    href: z.string(),
  }),
});
export type ReferralConsentWithdrawnEvent = z.infer<typeof ReferralConsentWithdrawnEvent>;

/**
 * The `referral.consent_withdrawn` event for a referral, as sent (signed, Standard Webhooks) to each live
 * endpoint of its partner.
 *
 * @example
 * consentWithdrawnEvent({ id: "ref_1", centreId: "halte" }, "2026-11-28T10:00:00.000Z");
 * // { type: "referral.consent_withdrawn", timestamp: "2026-11-28T10:00:00.000Z", data: { referralId: "ref_1", … } }
 */
export function consentWithdrawnEvent(
  referral: Pick<Referral, "id" | "centreId">,
  withdrawnAt: string,
): ReferralConsentWithdrawnEvent {
  return {
    type: "referral.consent_withdrawn",
    timestamp: withdrawnAt,
    data: {
      referralId: referral.id,
      centreId: referral.centreId,
      withdrawnAt,
      occurredAt: withdrawnAt,
      href: `/api/referrals/${referral.id}`,
    },
  };
}
