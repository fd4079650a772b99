import { partnerCentreIds, partnerStaffIds, unlinkPartnerCentre } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { withFence } from "../../auth/grants.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PartnerWithCentres } from "./schema.js";
import { partnerWithCentres, visiblePartner } from "./shared.js";

const route = defineRoute({
  method: "delete",
  path: "/partners/{partnerId}/centres/{centreId}",
  operationId: "unlinkPartnerCentre",
  tags: ["partners"],
  summary: "Unlink a partner from a centre other than its home: its access there ends at the next request",
  description:
    "Its users, API tokens and webhook secrets no longer reach that centre's referrals, services or " +
    "capacity reports, and the centre's staff can no longer address referrals to it; what was recorded " +
    "there is kept. Needs `partners:manage` at both centres. The home centre cannot be unlinked (409).",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: {
    params: z.object({ partnerId: z.string().min(1).max(64), centreId: z.string().min(1).max(64) }),
  },
  responses: {
    200: {
      description: "The partner, with the centres it still works with",
      content: { "application/json": { schema: PartnerWithCentres } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const unlinkPartnerCentreRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "partners:manage");
  const { partnerId, centreId } = c.req.valid("param");
  const partner = await visiblePartner(c, principal, partnerId);
  authorize(c, "partners:manage", centreId);
  if (centreId === partner.centreId) {
    throw new ApiProblem(
      "conflict",
      "This is the partner's home centre; archive the partner to end its access",
    );
  }
  const { db } = c.get("services");
  if (!(await partnerCentreIds(db, partnerId)).includes(centreId)) {
    throw new ApiProblem("not_found", "This partner is not linked to that centre");
  }
  // Its staff's and its secrets' grants in that centre's database go first.
  const actorIds = [partnerId, ...(await partnerStaffIds(db, partnerId))];
  await withFence(c, { actorIds, centres: [centreId] }, () =>
    db.batch([
      unlinkPartnerCentre(db, partnerId, centreId),
      auditStatement(c, {
        action: "unlink_centre",
        entity: "partner",
        entityId: partnerId,
        centreId,
        before: { centreId },
      }),
    ]),
  );
  return c.json(await partnerWithCentres(c, principal, partner), 200);
});
