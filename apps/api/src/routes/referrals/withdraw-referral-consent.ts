import { getConsent, withdrawConsentStatements } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { consentWithdrawnDeliveries, sendDeliveries } from "../webhooks/delivery.js";
import { ConsentWithdrawal, reread, timelineEntry } from "./privacy-shared.js";
import { writeReferralChange } from "./shared.js";
import { ReferralParams, ReferralRecord, recordFor, visibleReferral } from "./views.js";

const route = defineRoute({
  method: "post",
  path: "/referrals/{referralId}/consent/withdraw",
  operationId: "withdrawReferralConsent",
  middleware: [permit("referrals:update")] as const,
  tags: ["referrals"],
  summary: "Record that the person withdrew their consent (coordinator)",
  description:
    "From now on no detail about the person goes to the partner: the partner's view loses the contact, the " +
    "notes, age band, gender and languages, and the contact kept at the centre under that consent is " +
    "deleted. A partner the referral was sent to receives a signed `referral.consent_withdrawn` event " +
    "(ids and dates only). The timeline gets a `consent_withdrawn` line; the audit log records who and " +
    "when. A referral without consent, or whose consent is already withdrawn, answers 409.",
  security: staffOnly,
  request: {
    params: ReferralParams,
    body: { required: true, content: { "application/json": { schema: ConsentWithdrawal } } },
  },
  responses: {
    200: { description: "Withdrawn", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "unsupported_media_type",
      "validation_failed",
    ),
  },
});

export const withdrawReferralConsentRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "referrals:update");
  const { referral, db } = await visibleReferral(c, principal, c.req.valid("param").referralId);
  const { method } = c.req.valid("json");
  const { db: directory, now, logger } = c.get("services");
  const consent = referral.consentId === null ? null : await getConsent(db, referral.consentId);
  if (!consent) throw new ApiProblem("conflict", "No consent was recorded for this referral");
  if (consent.withdrawnAt !== null) {
    throw new ApiProblem("conflict", "This consent was already withdrawn");
  }
  const at = now();
  const atIso = at.toISOString();
  const deliveries = await consentWithdrawnDeliveries(directory, referral, at);
  let written: Awaited<ReturnType<typeof writeReferralChange>>;
  try {
    written = await writeReferralChange(
      c,
      db,
      [
        ...withdrawConsentStatements(db, referral.id, consent.id, atIso, {
          entry: timelineEntry(referral, atIso),
          actorId: principal.id,
        }),
        auditStatement(
          c,
          {
            action: "withdraw_consent",
            entity: "referral",
            entityId: referral.id,
            centreId: referral.centreId,
            before: { consentWithdrawnAt: null, hasContact: referral.contact !== null },
            after: { consentWithdrawnAt: atIso, withdrawalMethod: method, hasContact: false },
          },
          db,
        ),
      ],
      deliveries,
    );
  } catch (error) {
    const current = referral.consentId === null ? null : await getConsent(db, referral.consentId);
    if (current?.withdrawnAt) throw new ApiProblem("conflict", "This consent was already withdrawn");
    throw error;
  }
  await sendDeliveries(c.env.WEBHOOK_QUEUE, written, logger);
  return c.json(await recordFor(c, principal, await reread(db, referral.id)), 200);
});
