import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Consent, ConsentScope } from "./consent.js";
import type { Referral } from "./referral.js";
import {
  FREE_TEXT_FIELDS,
  PERSONAL_REFERRAL_FIELDS,
  partnerHistoryView,
  partnerReferralView,
  REDACTED,
  redactAuditRecord,
} from "./referral-disclosure.js";

const AT = new Date("2026-11-28T10:00:00.000Z");

const referral: Referral = {
  id: "ref_1",
  createdAt: "2026-11-28T08:00:00.000Z",
  updatedAt: "2026-11-28T08:00:00.000Z",
  centreId: "halte",
  partnerId: "samu",
  serviceId: null,
  need: "accommodation",
  note: "Family of four, the youngest is ill",
  status: "requested",
  statusReason: null,
  statusNote: "Called twice",
  partnerReference: "SAMU-118",
  contact: { name: "Ahmad K.", phone: "+33 6 12 34 56 78" },
  consentId: "consent_1",
  ageBand: "18-59",
  gender: "male",
  languages: ["prs"],
  requestedAt: "2026-11-28T08:00:00.000Z",
  closedAt: null,
  erasedAt: null,
  version: 1,
};

function consent(scopes: ConsentScope[], withdrawnAt: string | null = null): Consent {
  return {
    id: "consent_1",
    createdAt: "2026-11-28T08:00:00.000Z",
    updatedAt: "2026-11-28T08:00:00.000Z",
    centreId: "halte",
    referralId: "ref_1",
    givenAt: "2026-11-28T07:55:00.000Z",
    method: "verbal",
    scopes,
    withdrawnAt,
  };
}

describe("what a partner may see of a referral", () => {
  const withheld = {
    contact: null,
    note: null,
    statusNote: null,
    ageBand: null,
    gender: null,
    languages: [],
  };
  it.each([
    ["no consent record", null, withheld],
    ["consent to store only", consent(["store_contact"]), withheld],
    [
      "consent to share, withdrawn before",
      consent(["store_contact", "share_with_partner"], "2026-11-28T09:00:00Z"),
      withheld,
    ],
    ["consent to share", consent(["store_contact", "share_with_partner"]), {}],
    ["consent to share, withdrawn later", consent(["share_with_partner"], "2026-11-29T09:00:00Z"), {}],
  ] as const)("%s", (_label, given, expectedWithheld) => {
    const view = partnerReferralView(referral, given, AT);
    expect(view).toEqual({ ...referral, ...expectedWithheld, hasContact: true });
  });

  it("never lets a personal field through without consent to share, whatever the referral holds", () => {
    const scopes = fc.subarray(["store_contact"] as ConsentScope[]);
    fc.assert(
      fc.property(fc.string(), fc.option(scopes, { nil: null }), (text, given) => {
        const view = partnerReferralView(
          { ...referral, note: text, statusNote: text },
          given === null ? null : consent(given),
          AT,
        );
        for (const field of PERSONAL_REFERRAL_FIELDS) {
          expect(view[field]).toEqual(field === "languages" ? [] : null);
        }
        // What the partner needs to act stays.
        expect(view).toMatchObject({ id: "ref_1", need: "accommodation", status: "requested" });
      }),
    );
  });

  it("shows a partner its own history notes, and the centre's only with consent to share", () => {
    const centre = { actor: "centre" as const, note: "Moved to Lyon" };
    const partner = { actor: "partner" as const, note: "No show" };
    expect(partnerHistoryView(centre, false).note).toBeNull();
    expect(partnerHistoryView(centre, true).note).toBe("Moved to Lyon");
    expect(partnerHistoryView(partner, false).note).toBe("No show");
  });
});

describe("audit redaction", () => {
  it.each([
    [
      "referral",
      { need: "health", note: "Ahmad, room 4", statusNote: "Called", partnerReference: "X-1" },
      { need: "health", note: REDACTED, statusNote: REDACTED, partnerReference: REDACTED },
    ],
    ["referral", { contact: { name: "Ahmad" }, note: null }, { contact: REDACTED, note: null }],
    [
      "user",
      { name: "Amina", email: "a@b.fr", role: "reception" },
      { name: REDACTED, email: REDACTED, role: "reception" },
    ],
    [
      "partner",
      { name: "Aurore", email: "contact@aurore.fr", note: "ask for Léa" },
      { name: "Aurore", email: "contact@aurore.fr", note: REDACTED },
    ],
    ["webhook_secret", { secret: "whsec_x", partnerId: "p" }, { secret: REDACTED, partnerId: "p" }],
    [
      "service",
      { name: "Douches", description: "12 showers" },
      { name: "Douches", description: "12 showers" },
    ],
  ] as const)("%s %j", (entity, record, expected) => {
    expect(redactAuditRecord(entity, record)).toEqual(expected);
  });

  it("never keeps a free-text value, on any entity", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...FREE_TEXT_FIELDS), fc.string(), (entity, field, text) => {
        fc.pre(text.length > 0);
        expect(redactAuditRecord(entity, { [field]: text })[field]).toBe(REDACTED);
      }),
    );
  });
});
