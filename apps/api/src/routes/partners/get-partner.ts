import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PartnerParams, PartnerWithCentres } from "./schema.js";
import { partnerWithCentres, visiblePartner } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/partners/{partnerId}",
  operationId: "getPartner",
  tags: ["partners"],
  summary: "Get a partner with the centres it works with (a partner caller: its own organisation only)",
  security: staffOrToken,
  middleware: [permit("partners:read")] as const,
  request: { params: PartnerParams },
  responses: {
    200: { description: "The partner", content: { "application/json": { schema: PartnerWithCentres } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const getPartnerRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "partners:read");
  const partner = await visiblePartner(c, principal, c.req.valid("param").partnerId, { linked: true });
  return c.json(await partnerWithCentres(c, principal, partner), 200);
});
