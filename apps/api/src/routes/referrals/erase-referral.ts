import { countReferralNotes, eraseReferralStatements, getConsent } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { consentWithdrawnDeliveries, sendDeliveries } from "../webhooks/delivery.js";
import { reread, timelineEntry } from "./privacy-shared.js";
import { writeReferralChange } from "./shared.js";
import { ReferralParams, ReferralRecord, recordFor, visibleReferral } from "./views.js";

const route = defineRoute({
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

export const eraseReferralRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "referrals:update");
  const located = await visibleReferral(c, principal, c.req.valid("param").referralId);
  const { referral, db } = located;
  if (referral.erasedAt !== null) return c.json(await recordFor(c, principal, located), 200);
  const { now, logger } = c.get("services");
  const consent = referral.consentId === null ? null : await getConsent(db, referral.consentId);
  // What is erased, by name: the audit row says which fields went, never what they held.
  const fields = (["contact", "note", "statusNote", "partnerReference"] as const).filter(
    (field) => referral[field] !== null,
  );
  const historyNotes = await countReferralNotes(db, referral.id);
  const at = now();
  const atIso = at.toISOString();
  const consentLive = consent !== null && consent.withdrawnAt === null;
  const directory = c.get("services").db;
  const deliveries = consentLive ? await consentWithdrawnDeliveries(directory, referral, at) : [];
  let written: Awaited<ReturnType<typeof writeReferralChange>>;
  try {
    written = await writeReferralChange(
      c,
      db,
      [
        ...eraseReferralStatements(db, referral.id, atIso, {
          entry: timelineEntry(referral, atIso),
          actorId: principal.id,
        }),
        auditStatement(
          c,
          {
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
          },
          db,
        ),
      ],
      deliveries,
    );
  } catch (error) {
    // Another erasure won the race: the referral is erased all the same.
    const current = await reread(db, referral.id);
    if (current.referral.erasedAt !== null) return c.json(await recordFor(c, principal, current), 200);
    throw error;
  }
  await sendDeliveries(c.env.WEBHOOK_QUEUE, written, logger);
  return c.json(await recordFor(c, principal, await reread(db, referral.id)), 200);
});
