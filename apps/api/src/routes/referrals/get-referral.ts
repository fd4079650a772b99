import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { ReferralParams, ReferralRecord, recordFor, visibleReferral } from "./views.js";

const route = defineRoute({
  method: "get",
  path: "/referrals/{referralId}",
  operationId: "getReferral",
  middleware: [permit("referrals:read")] as const,
  tags: ["referrals"],
  summary: "Get a referral",
  security: staffOrToken,
  request: { params: ReferralParams },
  responses: {
    200: { description: "The referral", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const getReferralRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "referrals:read");
  const located = await visibleReferral(c, principal, c.req.valid("param").referralId);
  return c.json(await recordFor(c, principal, located), 200);
});
