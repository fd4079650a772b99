import { z } from "zod";
import { CentreScoped, Id, Instant, LanguageCode, RecordMeta } from "./common.js";

/** What the person agreed to, each scope asked separately. */
export const ConsentScope = z.enum([
  /** Keep the minimum contact detail at the centre to follow the referral up. */
  "store_contact",
  /** Send that detail to the partner the person is referred to. */
  "share_with_partner",
]);
export type ConsentScope = z.infer<typeof ConsentScope>;

/** How consent was collected. */
export const ConsentMethod = z.enum(["verbal", "written", "digital"]);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/**
 * Consent as recorded by staff with the person, in a language they understand, before any personal detail
 * is stored or leaves the centre.
 */
export const ConsentInput = z.strictObject({
  givenAt: Instant,
  method: ConsentMethod,
  scopes: z.array(ConsentScope).min(1).max(ConsentScope.options.length),
  /** The language consent was explained in. */
  language: LanguageCode.optional(),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

/** A stored consent record (personal data: purged with the referral's contact details). */
export const Consent = z.object({
  ...RecordMeta,
  ...CentreScoped,
  referralId: Id,
  ...ConsentInput.shape,
  withdrawnAt: Instant.nullable(),
});
export type Consent = z.infer<typeof Consent>;

/**
 * Whether a consent record, as it stands at `at`, allows `scope`: given no later than `at`, not withdrawn
 * by then, and covering the scope.
 *
 * @example
 * consentAllows(consent, "share_with_partner", new Date("2026-11-28T10:00:00Z")); // true or false
 */
export function consentAllows(
  consent: Pick<Consent, "givenAt" | "withdrawnAt" | "scopes"> | null | undefined,
  scope: ConsentScope,
  at: Date,
): boolean {
  if (!consent) return false;
  if (Date.parse(consent.givenAt) > at.getTime()) return false;
  if (consent.withdrawnAt !== null && Date.parse(consent.withdrawnAt) <= at.getTime()) return false;
  return consent.scopes.includes(scope);
}
