import { getCentre } from "@halte/db";
import { permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CentreParams, CentreRecord } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/centres/{centreId}",
  operationId: "getCentre",
  middleware: [permit()] as const,
  tags: ["centres"],
  summary: "Get a centre",
  security: staffOrToken,
  request: { params: CentreParams },
  responses: {
    200: { description: "The centre", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "not_found"),
  },
});

export const getCentreRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  const { centreId } = c.req.valid("param");
  const centre = await getCentre(c.get("services").db, centreId);
  if (!centre || (principal.centreId !== null && principal.centreId !== centreId)) {
    throw new ApiProblem("not_found", "No such centre");
  }
  return c.json(centre, 200);
});
