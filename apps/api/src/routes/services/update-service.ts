import { getService, replaceService } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { ServiceParams, ServiceRecord, ServiceReplace } from "./schema.js";
import { checkOrganization, visibleService, withOpeningStatus } from "./shared.js";

const route = defineRoute({
  method: "put",
  path: "/services/{serviceId}",
  operationId: "updateService",
  tags: ["services"],
  summary: "Update a service, its schedule, exceptions and capacities; it stays at its centre",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: {
    params: ServiceParams,
    body: { required: true, content: { "application/json": { schema: ServiceReplace } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "validation_failed",
    ),
  },
});

export const updateServiceRoute = createRouter().openapi(route, async (c) => {
  const { serviceId } = c.req.valid("param");
  const input = c.req.valid("json");
  const { service: before, db } = await visibleService(c, serviceId, "services:manage");
  if (before.archivedAt !== null) {
    throw new ApiProblem("conflict", "This service is archived; archived records are kept as they were");
  }
  await checkOrganization(db, input.organizationId, before.centreId, c.get("services").db);
  const { now } = c.get("services");
  await db.batch([
    replaceService(db, serviceId, input, now().toISOString()),
    auditStatement(
      c,
      {
        action: "update",
        entity: "service",
        entityId: serviceId,
        centreId: before.centreId,
        before,
        after: input,
      },
      db,
    ),
  ]);
  const after = await getService(db, serviceId);
  if (!after) throw new Error("service vanished after update");
  return c.json(withOpeningStatus(after, now()), 200);
});
