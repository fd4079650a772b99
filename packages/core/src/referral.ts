import { z } from "zod";
import { AgeBand, CentreScoped, Gender, Id, Instant, LanguageCode, RecordMeta, text } from "./common.js";
import { ConsentInput } from "./consent.js";

/**
 * Referral statuses, the FHIR Task codes used for social-care referrals (Gravity SDOHCC). The allowed
 * moves and who may make them live in `referral-lifecycle.ts`.
 */
export const ReferralStatus = z.enum([
  "draft",
  "requested",
  "accepted",
  "rejected",
  "in-progress",
  "on-hold",
  "completed",
  "failed",
  "cancelled",
  "entered-in-error",
]);
export type ReferralStatus = z.infer<typeof ReferralStatus>;

/** The need a person is referred for (DOMAIN.md). */
export const ReferralNeed = z.enum([
  "accommodation",
  "asylum_procedure",
  "health",
  "legal",
  "food",
  "social_rights",
  "education_work",
  "addiction",
  "other",
]);
export type ReferralNeed = z.infer<typeof ReferralNeed>;

/** Why a partner refused a referral. */
export const RejectionReason = z.enum(["at_capacity", "not_eligible", "unreachable", "other"]);
export type RejectionReason = z.infer<typeof RejectionReason>;

/** Why an accepted referral did not reach its outcome. */
export const FailureReason = z.enum([
  "no_show",
  "unreachable",
  "not_eligible",
  "service_unavailable",
  "other",
]);
export type FailureReason = z.infer<typeof FailureReason>;

/** Either kind of reason, as stored on the referral. */
export const StatusReason = z.union([RejectionReason, FailureReason]);
export type StatusReason = z.infer<typeof StatusReason>;

/**
 * The minimum contact detail needed to follow a referral up. Personal data: stored only with consent,
 * never logged, purged after closure + retention.
 */
export const ReferralContact = z
  .strictObject({
    name: text(200).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ().-]{6,30}$/, "Use digits, spaces and an optional leading '+'")
      .optional(),
    email: z.email().optional(),
    preferredLanguage: LanguageCode.optional(),
  })
  .refine((c) => c.name !== undefined || c.phone !== undefined || c.email !== undefined, {
    message: "Give at least a name, a phone or an email, or leave the contact out",
  });
export type ReferralContact = z.infer<typeof ReferralContact>;

/**
 * What staff send to create a referral. The person stays anonymous unless they agree otherwise: a
 * `contact` is accepted only together with a `consent` that covers storing it.
 */
export const ReferralInput = z
  .strictObject({
    centreId: Id,
    partnerId: Id,
    serviceId: Id.optional(),
    need: ReferralNeed,
    /** Free text for the partner about the need; must not contain personal details. */
    note: text(1000).optional(),
    contact: ReferralContact.optional(),
    consent: ConsentInput.optional(),
    ageBand: AgeBand.optional(),
    gender: Gender.optional(),
    languages: z.array(LanguageCode).max(10).optional(),
    /** Create as `requested` right away (needs consent) instead of `draft`. */
    send: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (input.contact && !input.consent?.scopes.includes("store_contact")) {
      ctx.addIssue({
        code: "custom",
        path: ["consent"],
        message: "A contact detail can be kept only with consent that covers storing it",
      });
    }
    if (input.send && !input.consent) {
      ctx.addIssue({
        code: "custom",
        path: ["consent"],
        message: "Record the person's consent before sending the referral",
      });
    }
  });
export type ReferralInput = z.infer<typeof ReferralInput>;

/** Who makes a change: the centre's staff or the partner organisation (through the API or a webhook). */
export const ReferralActor = z.enum(["centre", "partner"]);
export type ReferralActor = z.infer<typeof ReferralActor>;

/** A request to move a referral to another status. */
export const ReferralStatusChange = z.strictObject({
  status: ReferralStatus,
  reason: StatusReason.optional(),
  /** Free text about the change; must not contain personal details. */
  note: text(1000).optional(),
  /** The partner's own reference for the referral. */
  partnerReference: z.string().trim().min(1).max(100).optional(),
});
export type ReferralStatusChange = z.infer<typeof ReferralStatusChange>;

/** A stored referral. `version` counts status changes, for optimistic concurrency. */
export const Referral = z.object({
  ...RecordMeta,
  ...CentreScoped,
  partnerId: Id,
  serviceId: Id.nullable(),
  need: ReferralNeed,
  note: z.string().nullable(),
  status: ReferralStatus,
  statusReason: StatusReason.nullable(),
  statusNote: z.string().nullable(),
  partnerReference: z.string().nullable(),
  contact: ReferralContact.nullable(),
  consentId: Id.nullable(),
  ageBand: AgeBand.nullable(),
  gender: Gender.nullable(),
  languages: z.array(LanguageCode),
  /** When the referral was first sent to the partner. */
  requestedAt: Instant.nullable(),
  /** When it reached a final status (completed, failed, rejected, cancelled, entered-in-error). */
  closedAt: Instant.nullable(),
  /** When the person's details were erased on request (GDPR art. 17): contact, notes and references go. */
  erasedAt: Instant.nullable(),
  version: z.int().min(0),
});
export type Referral = z.infer<typeof Referral>;

/**
 * What a line of a referral's timeline records: a status change, or an event that leaves the status as it is
 * — the person withdrew their consent, or had their details erased.
 */
export const ReferralTimelineEvent = z.enum(["status_changed", "consent_withdrawn", "erased"]);
export type ReferralTimelineEvent = z.infer<typeof ReferralTimelineEvent>;

/**
 * One line of a referral's history: every status change is kept, and so are consent withdrawals and
 * erasures (`from` and `to` are then the status it had). `event` absent means a status change.
 */
export const ReferralHistoryEntry = z.object({
  referralId: Id,
  event: ReferralTimelineEvent.optional(),
  from: ReferralStatus,
  to: ReferralStatus,
  actor: ReferralActor,
  reason: StatusReason.nullable(),
  note: z.string().nullable(),
  at: Instant,
});
export type ReferralHistoryEntry = z.infer<typeof ReferralHistoryEntry>;
