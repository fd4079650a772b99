import { type Consent, consentAllows } from "./consent.js";
import type { Referral, ReferralHistoryEntry } from "./referral.js";

/**
 * The fields of a referral that say something about the person or hold free text: the contact, the notes,
 * the partner's reference to its own file, and the person's age band, gender and languages. A partner
 * receives them only while the person's consent covers `share_with_partner`; the purge and an erasure
 * clear the free-text ones.
 */
export const PERSONAL_REFERRAL_FIELDS = [
  "contact",
  "note",
  "statusNote",
  "ageBand",
  "gender",
  "languages",
] as const;

/** Free text a referral, its history or the partners' messages about it may hold: never audited, purged. */
export const FREE_TEXT_FIELDS = ["note", "statusNote", "partnerReference"] as const;

/** Fields that hold personal data: an audit record shows that they changed, never their values. */
const PERSONAL_AUDIT_FIELDS: ReadonlySet<string> = new Set([
  "contact",
  "visitorCode",
  "visitorCodeHash",
  "email",
  "phone",
  "name",
  "password",
  "passwordHash",
  "passwordSalt",
  "tokenHash",
  "secret",
  ...FREE_TEXT_FIELDS,
]);

/** Entities whose `name`, `email` and `phone` are an organisation's or a service's, not a person's. */
const NAMED_THINGS: ReadonlySet<string> = new Set([
  "centre",
  "partner",
  "service",
  "event",
  "lesson",
  "api_token",
]);
const ORGANISATION_FIELDS: ReadonlySet<string> = new Set(["name", "email", "phone"]);

/** What an audit record shows in place of a personal or free-text value. */
export const REDACTED = "[redacted]";

/**
 * A record as the audit log may keep it: personal fields (contact, names, emails, phones, secrets, visitor
 * codes) and free text about people (`note`, `statusNote`, `partnerReference`) become `"[redacted]"`, so
 * the log shows *that* they were set or changed, never their value. An organisation's own name, email and
 * phone stay readable. `undefined` fields are left out; `null` stays `null` (an empty field reveals nothing).
 *
 * @example
 * redactAuditRecord("referral", { need: "health", note: "Ahmad, room 4", statusNote: null });
 * // { need: "health", note: "[redacted]", statusNote: null }
 */
export function redactAuditRecord(entity: string, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const keep =
      value === null ||
      !PERSONAL_AUDIT_FIELDS.has(key) ||
      (NAMED_THINGS.has(entity) && ORGANISATION_FIELDS.has(key));
    out[key] = keep ? value : REDACTED;
  }
  return out;
}

/**
 * A referral as its partner may see it at `at`: with the person's consent to share (`share_with_partner`,
 * given by then and not withdrawn), the whole referral; without it, ids, need, service, status, reason,
 * dates and the partner's own reference only — the contact, the notes, the age band, gender and languages
 * are withheld (`null`, languages `[]`). `hasContact` tells whether the centre holds a contact at all.
 *
 * @example
 * const view = partnerReferralView(referral, consent, new Date());
 * view.contact; // null unless the person agreed to share it
 */
export function partnerReferralView(
  referral: Referral,
  consent: Pick<Consent, "givenAt" | "withdrawnAt" | "scopes"> | null | undefined,
  at: Date,
): Referral & { hasContact: boolean } {
  const hasContact = referral.contact !== null;
  if (consentAllows(consent, "share_with_partner", at)) return { ...referral, hasContact };
  return {
    ...referral,
    contact: null,
    note: null,
    statusNote: null,
    ageBand: null,
    gender: null,
    languages: [],
    hasContact,
  };
}

/**
 * A history line as the referral's partner may see it: its own notes always, the centre's only while the
 * person's consent covers sharing (`sharing`, from {@link consentAllows}).
 *
 * @example
 * partnerHistoryView({ ...entry, actor: "centre", note: "Moved to Lyon" }, false).note; // null
 */
export function partnerHistoryView<T extends Pick<ReferralHistoryEntry, "actor" | "note">>(
  entry: T,
  sharing: boolean,
): T {
  return entry.actor === "partner" || sharing ? entry : { ...entry, note: null };
}
