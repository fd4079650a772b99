import { getReferral, getReferralAcknowledgement, insertReferralAcknowledgement } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { permit, requirePrincipal } from "../../auth/middleware.js";
import { reachesCentre } from "../../auth/principal.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const Acknowledgement = z
  .object({ referralId: z.string(), acknowledgedAt: z.string() })
  .openapi("ReferralAcknowledgement");

const route = defineRoute({
  method: "post",
  path: "/referrals/{referralId}/acknowledge",
  operationId: "acknowledgeReferral",
  middleware: [permit("referrals:respond")] as const,
  tags: ["referrals"],
  summary: "A partner confirms it has received a referral (part of the pull API); the first time counts",
  description:
    "For partners that pull instead of (or as well as) receiving webhooks: `GET /api/referrals` lists the " +
    "referrals sent to the token's organisation, this route says they were picked up. Acknowledging again " +
    "returns the first acknowledgement.",
  security: staffOrToken,
  request: { params: z.object({ referralId: z.string().min(1).max(64) }) },
  responses: {
    200: { description: "Acknowledged", content: { "application/json": { schema: Acknowledgement } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const acknowledgeReferralRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  const { dbs, now } = c.get("services");
  const referralId = c.req.valid("param").referralId;
  // Looked for only in the databases the caller reaches (a partner token: those of its centres).
  const found = await dbs.findInReachable(principal, (db) => getReferral(db, referralId));
  // Only the organisation the referral was sent to acknowledges it; anyone else learns nothing.
  if (
    !found ||
    principal.role !== "partner" ||
    found.found.partnerId !== principal.partnerId ||
    found.found.requestedAt === null ||
    // One database may hold several centres: only those the partner works with now.
    !reachesCentre(principal, found.found.centreId)
  ) {
    throw new ApiProblem("not_found", "No such referral");
  }
  const { found: referral, db } = found;
  const existing = await getReferralAcknowledgement(db, referral.id);
  if (existing) return c.json({ referralId: referral.id, acknowledgedAt: existing.acknowledgedAt }, 200);
  const at = now().toISOString();
  await db.batch([
    insertReferralAcknowledgement(db, {
      referralId: referral.id,
      centreId: referral.centreId,
      partnerId: referral.partnerId,
      acknowledgedAt: at,
      acknowledgedBy: principal.id,
    }),
    auditStatement(
      c,
      { action: "acknowledge", entity: "referral", entityId: referral.id, centreId: referral.centreId },
      db,
    ),
  ]);
  const stored = await getReferralAcknowledgement(db, referral.id);
  return c.json({ referralId: referral.id, acknowledgedAt: stored?.acknowledgedAt ?? at }, 200);
});
