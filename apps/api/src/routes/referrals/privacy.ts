import { ConsentMethod, type Referral, type ReferralHistoryEntry } from "@halte/core";
import {
  countReferralNotes,
  eraseReferralStatements,
  getConsent,
  getReferral,
  withdrawConsentStatements,
} from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { asBatch } from "../visits/record.js";
import { consentWithdrawnDeliveries, insertDeliveries, sendDeliveries } from "../webhooks/delivery.js";
import { ReferralParams, ReferralRecord, recordFor, visibleReferral } from "./views.js";

const ConsentWithdrawal = z
  .strictObject({
    /** How the person said so: in person (verbal), in writing, or digitally. */
    method: ConsentMethod,
  })
  .openapi("ConsentWithdrawal");

const withdrawRoute = defineRoute({
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

const eraseRoute = defineRoute({
  method: "post",
  path: "/referrals/{referralId}/erase",
  operationId: "eraseReferral",
  middleware: [permit("referrals:update")] as const,
  tags: ["referrals"],
  summary: "Erase the person's details on request (GDPR art. 17), before the retention date (coordinator)",
  description:
    "Clears the contact, the notes, the partner's reference, the notes of the history and of the partner's " +
    "messages, the copies in the audit log and the consent's language, and withdraws the consent. The " +
    "referral stays, with its status, need, partner and dates, so every figure stays. A partner that was " +
    "still allowed to see details receives `referral.consent_withdrawn`. The timeline gets an `erased` " +
    "line and the audit log records who erased which fields when, never their values. Erasing again " +
    "changes nothing.",
  security: staffOnly,
  request: { params: ReferralParams },
  responses: {
    200: { description: "Erased", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

/** The timeline line of an event that leaves the status as it is. */
function timelineEntry(referral: Referral, at: string): ReferralHistoryEntry {
  return {
    referralId: referral.id,
    from: referral.status,
    to: referral.status,
    actor: "centre",
    reason: null,
    note: null,
    at,
  };
}

async function reread(c: Context<AppEnv>, id: string): Promise<Referral> {
  const referral = await getReferral(c.get("services").db, id);
  if (!referral) throw new ApiProblem("not_found", "No such referral");
  return referral;
}

export const referralPrivacyRoutes = createRouter()
  .openapi(withdrawRoute, async (c) => {
    const principal = authorize(c, "referrals:update");
    const referral = await visibleReferral(c, principal, c.req.valid("param").referralId);
    const { method } = c.req.valid("json");
    const { db, now, logger } = c.get("services");
    const consent = referral.consentId === null ? null : await getConsent(db, referral.consentId);
    if (!consent) throw new ApiProblem("conflict", "No consent was recorded for this referral");
    if (consent.withdrawnAt !== null) {
      throw new ApiProblem("conflict", "This consent was already withdrawn");
    }
    const at = now();
    const atIso = at.toISOString();
    const deliveries = await consentWithdrawnDeliveries(db, referral, at);
    try {
      await db.batch(
        asBatch([
          ...withdrawConsentStatements(db, referral.id, consent.id, atIso, {
            entry: timelineEntry(referral, atIso),
            actorId: principal.id,
          }),
          ...insertDeliveries(db, deliveries),
          auditStatement(c, {
            action: "withdraw_consent",
            entity: "referral",
            entityId: referral.id,
            centreId: referral.centreId,
            before: { consentWithdrawnAt: null, hasContact: referral.contact !== null },
            after: { consentWithdrawnAt: atIso, withdrawalMethod: method, hasContact: false },
          }),
        ]),
      );
    } catch (error) {
      const current = referral.consentId === null ? null : await getConsent(db, referral.consentId);
      if (current?.withdrawnAt) throw new ApiProblem("conflict", "This consent was already withdrawn");
      throw error;
    }
    await sendDeliveries(c.env.WEBHOOK_QUEUE, deliveries, logger);
    return c.json(await recordFor(c, principal, await reread(c, referral.id)), 200);
  })
  .openapi(eraseRoute, async (c) => {
    const principal = authorize(c, "referrals:update");
    const referral = await visibleReferral(c, principal, c.req.valid("param").referralId);
    if (referral.erasedAt !== null) return c.json(await recordFor(c, principal, referral), 200);
    const { db, now, logger } = c.get("services");
    const consent = referral.consentId === null ? null : await getConsent(db, referral.consentId);
    // What is erased, by name: the audit row says which fields went, never what they held.
    const fields = (["contact", "note", "statusNote", "partnerReference"] as const).filter(
      (field) => referral[field] !== null,
    );
    const historyNotes = await countReferralNotes(db, referral.id);
    const at = now();
    const atIso = at.toISOString();
    const consentLive = consent !== null && consent.withdrawnAt === null;
    const deliveries = consentLive ? await consentWithdrawnDeliveries(db, referral, at) : [];
    try {
      await db.batch(
        asBatch([
          ...eraseReferralStatements(db, referral.id, atIso, {
            entry: timelineEntry(referral, atIso),
            actorId: principal.id,
          }),
          ...insertDeliveries(db, deliveries),
          auditStatement(c, {
            action: "erase",
            entity: "referral",
            entityId: referral.id,
            centreId: referral.centreId,
            after: {
              erasedAt: atIso,
              erasedFields: [...fields, ...(consent?.language ? ["consentLanguage"] : [])],
              erasedHistoryNotes: historyNotes,
              consentWithdrawn: consentLive,
            },
          }),
        ]),
      );
    } catch (error) {
      // Another erasure won the race: the referral is erased all the same.
      const current = await reread(c, referral.id);
      if (current.erasedAt !== null) return c.json(await recordFor(c, principal, current), 200);
      throw error;
    }
    await sendDeliveries(c.env.WEBHOOK_QUEUE, deliveries, logger);
    return c.json(await recordFor(c, principal, await reread(c, referral.id)), 200);
  });
