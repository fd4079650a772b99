import {
  type ReferralActor,
  ReferralStatusChange,
  referralChangeTime,
  transitionReferral,
} from "@halte/core";
import { getReferral, insertReferralHistoryAfterUpdate, updateReferralStatus } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { referralDeliveries, sendDeliveries } from "../webhooks/delivery.js";
import { transitionProblem, writeReferralChange } from "./shared.js";
import {
  isPartner,
  ReferralParams,
  ReferralRecord,
  recordFor,
  statusView,
  visibleReferral,
} from "./views.js";

const route = defineRoute({
  method: "post",
  path: "/referrals/{referralId}/status",
  operationId: "transitionReferral",
  middleware: [permit("referrals:update", "referrals:respond")] as const,
  tags: ["referrals"],
  summary: "Move a referral to another status (centre staff or the referral's partner)",
  description:
    "The allowed moves and who may make each follow the referral lifecycle: the partner accepts, rejects " +
    "(with a reason), starts, completes or fails; the centre sends, cancels or marks entered-in-error. A change " +
    "that lost a race with another one answers 409 `conflict`.",
  security: staffOrToken,
  request: {
    params: ReferralParams,
    body: { required: true, content: { "application/json": { schema: ReferralStatusChange } } },
  },
  responses: {
    200: { description: "Changed", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "illegal_transition",
      "validation_failed",
    ),
  },
});

export const transitionReferralRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  const actor: ReferralActor = isPartner(principal) ? "partner" : "centre";
  authorize(c, actor === "partner" ? "referrals:respond" : "referrals:update");
  const { referral, db: centreDb } = await visibleReferral(c, principal, c.req.valid("param").referralId);
  const asked = c.req.valid("json");
  // Once a person's details are erased, no new free text about them is kept.
  const change =
    referral.erasedAt === null ? asked : { ...asked, note: undefined, partnerReference: undefined };
  const { db, now, logger } = c.get("services");
  const at = referralChangeTime(now(), referral.updatedAt);
  const result = transitionReferral(referral, change, actor, at);
  if (!result.ok) throw transitionProblem(result.error);
  const { referral: next, history } = result.value;
  // The partner hears of the centre's changes; its own it already knows.
  const deliveries = actor === "centre" ? await referralDeliveries(db, next, referral.status, at) : [];
  let written: Awaited<ReturnType<typeof writeReferralChange>>;
  try {
    written = await writeReferralChange(
      c,
      centreDb,
      [
        updateReferralStatus(centreDb, next, referral.version),
        insertReferralHistoryAfterUpdate(centreDb, history, principal.id),
        auditStatement(
          c,
          {
            action: "update_status",
            entity: "referral",
            entityId: referral.id,
            centreId: referral.centreId,
            before: statusView(referral),
            after: statusView(next),
          },
          centreDb,
        ),
      ],
      deliveries,
    );
  } catch (error) {
    const current = await getReferral(centreDb, referral.id);
    if (current && current.version !== referral.version) {
      throw new ApiProblem("conflict", "The referral changed meanwhile; read it again and retry");
    }
    throw error;
  }
  await sendDeliveries(c.env.WEBHOOK_QUEUE, written, logger);
  return c.json(await recordFor(c, principal, { referral: next, db: centreDb }), 200);
});
