import { listPartners } from "@halte/db";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PartnerListQuery, PartnerPage } from "./schema.js";
import { ownOrganisation } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/partners",
  operationId: "listPartners",
  tags: ["partners"],
  summary: "List the organisations working with a centre",
  description:
    "Staff see their centre's partners — those whose home it is and those linked to it (admins: every " +
    "centre's, or one with `centreId`). A partner's token or a partner user sees its own organisation only.",
  security: staffOrToken,
  middleware: [permit("partners:read")] as const,
  request: { query: PartnerListQuery },
  responses: {
    200: { description: "A page of partners", content: { "application/json": { schema: PartnerPage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listPartnersRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "partners:read");
  const { limit, cursor, centreId, role, includeArchived } = c.req.valid("query");
  if (centreId !== undefined) assertCentreVisible(principal, centreId);
  const own = ownOrganisation(principal);
  const rows = await listPartners(c.get("services").db, {
    centreId: centreId ?? principal.centreId,
    afterId: decodeCursor(cursor),
    limit,
    includeArchived,
    ...(role ? { role } : {}),
    ...(own !== null ? { onlyId: own } : {}),
  });
  return c.json(toPage(rows, limit), 200);
});
